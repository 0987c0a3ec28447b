namespace Orian.Storage.Sql;

/// <summary>
/// Which database host Orian's writes go to, and since when. A replicated database (a multi-host
/// connection string that asks for the primary) moves it at a failover; the first write after the
/// move observes the new host. Observing the same host again costs one string comparison.
/// </summary>
public sealed class WriterHost
{
    private readonly Lock _gate = new();
    private volatile string? _current;
    private volatile string? _host;
    private volatile int _port;

    /// <summary>The host written to, as <c>host:port</c>; null before the first write.</summary>
    public string? Current => _current;

    /// <summary>When <see cref="Current"/> was first observed.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>Raised once per change (the first host observed included), with the previous host
    /// (null the first time) and the new one.</summary>
    public event Action<string?, string>? Changed;

    /// <summary>Writes went to <paramref name="host"/>:<paramref name="port"/>; nothing is built unless it moved.</summary>
    public void Observe(string? host, int port)
    {
        if (_port == port && string.Equals(_host, host, StringComparison.Ordinal))
        {
            return;
        }

        string? previous;
        string current;
        lock (_gate)
        {
            if (_port == port && string.Equals(_host, host, StringComparison.Ordinal))
            {
                return;
            }

            previous = _current;
            current = $"{host ?? "unknown"}:{port}";
            Since = TimeProvider.System.GetUtcNow();
            _current = current;
            _port = port;
            _host = host;
        }

        Changed?.Invoke(previous, current);
    }
}
