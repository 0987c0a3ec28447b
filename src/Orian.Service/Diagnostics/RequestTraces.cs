using System.Diagnostics;

namespace Orian.Service.Diagnostics;

/// <summary>
/// Makes ASP.NET Core start a request span for every request, exported or not: its trace id (taken
/// from the caller's <c>traceparent</c> when sent) is what log lines, <c>orian.receive</c> spans and
/// 500 problem bodies quote. The spans are created for propagation only (not recorded) unless an
/// exporter asks for more. Without this listener the framework would create them only while its
/// request logging is on, which is off because its scope carries the raw path.
/// </summary>
internal sealed class RequestTraces : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
