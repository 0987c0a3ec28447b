using Orian.Storage;

namespace Orian.Service.Diagnostics;

/// <summary>Says when the database host written to changes: one log line and one count per change
/// (a failover of a replicated database), from the first write on; and when a connection is lost and
/// writes get through again: one log line each, and one count per reconnect. The status view shows the
/// host and since when. Listens from the host's <em>starting</em> phase, registered before the schema's
/// migration there, so the migration's writes are its first.</summary>
internal sealed class WriterHostWatch(OrianStorage storage, OrianMetrics metrics, ILogger<WriterHostWatch> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        storage.Database.Writer.Changed += OnChanged;
        storage.Database.Writer.Disconnected += OnDisconnected;
        storage.Database.Writer.Reconnected += OnReconnected;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        storage.Database.Writer.Changed -= OnChanged;
        storage.Database.Writer.Disconnected -= OnDisconnected;
        storage.Database.Writer.Reconnected -= OnReconnected;
        return Task.CompletedTask;
    }

    private void OnChanged(string? previous, string current)
    {
        metrics.WriterChanged(current, previous is null);
        if (previous is null)
        {
            Log.WriterHostFirst(logger, current);
        }
        else
        {
            Log.WriterHostMoved(logger, previous, current);
        }
    }

    private void OnDisconnected(string? host) => Log.DatabaseLost(logger, host ?? "none yet");

    private void OnReconnected(string host, TimeSpan after)
    {
        metrics.Reconnected(host);
        Log.DatabaseReconnected(logger, host, (long)after.TotalMilliseconds);
    }
}
