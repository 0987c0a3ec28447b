using Orian.Storage;

namespace Orian.Service.Diagnostics;

/// <summary>Says when the database host written to changes: one log line and one count per change
/// (a failover of a replicated database), from the first write on. The status view shows the host and
/// since when.</summary>
internal sealed class WriterHostWatch(OrianStorage storage, OrianMetrics metrics, ILogger<WriterHostWatch> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        storage.Database.Writer.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        storage.Database.Writer.Changed -= OnChanged;
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
}
