namespace Orian.Storage.Sql;

/// <summary>
/// Which database host Orian's writes go to, and since when. A replicated database (a multi-host
/// connection string that asks for the primary) moves it at a failover; the first write after the
/// move observes the new host. Observing the same host again costs one string comparison. A provider
/// that sees a connection lost says so (<see cref="Lost"/>); the next write that gets through is a
/// reconnect (<see cref="Reconnected"/>), whether or not the host moved.
/// </summary>
public sealed class WriterHost
{
    private readonly Lock _gate = new();
    private volatile string? _current;
    private volatile string? _host;
    private volatile int _port;
    private volatile bool _lost;
    private long _lostAt;

    /// <summary>The host written to, as <c>host:port</c>; null before the first write.</summary>
    public string? Current => _current;

    /// <summary>When <see cref="Current"/> was first observed.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>Raised once per change (the first host observed included), with the previous host
    /// (null the first time) and the new one.</summary>
    public event Action<string?, string>? Changed;

    /// <summary>Raised once when a connection is seen lost after writes got through, with the host
    /// written to until then.</summary>
    public event Action<string?>? Disconnected;

    /// <summary>Raised once per reconnect: the first write that gets through after <see cref="Lost"/>,
    /// with the host it reached and how long after the loss.</summary>
    public event Action<string, TimeSpan>? Reconnected;

    /// <summary>A connection to the database was lost (or refused): the next write that gets through
    /// counts as a reconnect. Repeated losses before that count once.</summary>
    public void Lost()
    {
        if (_lost)
        {
            return;
        }

        lock (_gate)
        {
            if (_lost)
            {
                return;
            }

            _lostAt = TimeProvider.System.GetTimestamp();
            _lost = true;
        }

        Disconnected?.Invoke(_current);
    }

    /// <summary>Writes went to <paramref name="host"/>:<paramref name="port"/>; nothing is built unless
    /// it moved or follows a loss.</summary>
    public void Observe(string? host, int port)
    {
        if (!_lost && _port == port && string.Equals(_host, host, StringComparison.Ordinal))
        {
            return;
        }

        string? previous;
        string current;
        bool moved;
        TimeSpan? down = null;
        lock (_gate)
        {
            moved = _port != port || !string.Equals(_host, host, StringComparison.Ordinal);
            if (_lost)
            {
                down = TimeProvider.System.GetElapsedTime(_lostAt);
                _lost = false;
            }

            previous = _current;
            current = moved ? $"{host ?? "unknown"}:{port}" : _current!;
            if (moved)
            {
                Since = TimeProvider.System.GetUtcNow();
                _current = current;
                _port = port;
                _host = host;
            }
        }

        if (moved)
        {
            Changed?.Invoke(previous, current);
        }

        if (down is { } after)
        {
            Reconnected?.Invoke(current, after);
        }
    }
}
