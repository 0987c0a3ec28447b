using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orian.Tests.Support;

/// <summary>Every log line the service writes, at every level, formatted as a text sink would
/// write it (message, then the exception), for tests that check what reaches the logs.</summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider? _scopes;

    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string All => string.Join("\n", _lines);

    /// <summary>Adds the capture to a service and lowers every configurable level to Trace; only
    /// the filters the service pins in code for its own safety stay.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(o =>
        {
            foreach (var rule in o.Rules.Where(r => !Orian.Service.OrianApp.UntrustedLogCategories.Contains(r.CategoryName)).ToList())
            {
                o.Rules.Remove(rule);
            }

            o.MinLevel = LogLevel.Trace;
        });
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>The scopes are written after the message, as a text sink with scopes on would
    /// (" => TraceId:..."), so tests see the trace id a line carries.</summary>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    private string Scopes()
    {
        var text = new System.Text.StringBuilder();
        _scopes?.ForEachScope((scope, builder) => builder.Append(" => ").Append(scope), text);
        return text.ToString();
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}{sink.Scopes()}{(exception is null ? "" : "\n" + exception)}");
    }
}
