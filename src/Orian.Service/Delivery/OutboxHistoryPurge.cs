using Microsoft.Extensions.Options;
using Orian.Service.Configuration;
using Orian.Storage;

namespace Orian.Service.Delivery;

/// <summary>
/// Keeps the outbox from growing without bound: once per <see cref="OutboxOptions.HistoryPurgeIntervalSeconds"/>,
/// a pass from the oldest event purges the settled history older than
/// <see cref="OutboxOptions.HistoryRetentionDays"/>, a page of <see cref="OutboxOptions.BatchSize"/>
/// events per short transaction, each followed by a rest three times as long as it took, until it meets a newer
/// event. Every instance runs it: two passes at
/// once lock the same deliveries in the same order, and the second finds them gone. Off when the
/// retention is 0.
/// </summary>
internal sealed class OutboxHistoryPurge(OutboxRetention history, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxHistoryPurge> logger)
    : BackgroundService
{
    /// <summary>A page's rest, in multiples of the time it took.</summary>
    private const int RestPerPage = 3;

    /// <summary>After a failed pass, the wait before the next try.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.HistoryRetentionDays == 0)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(settings.HistoryPurgeIntervalSeconds);
            try
            {
                await PurgeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.OutboxHistoryPurgeFailed(logger, e);
                wait = RetryDelay;
            }

            await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass, from the oldest event to the first one inside the retention period (or the
    /// end). Returns the events purged.</summary>
    internal async Task<long> PurgeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        long after = 0, total = 0;
        bool done;
        do
        {
            var started = time.GetTimestamp();
            (var purged, after, done) = await history.PurgePageAsync(now, settings.HistoryRetentionDays, after, settings.BatchSize, cancellationToken).ConfigureAwait(false);
            total += purged;
            if (!done)
            {
                // Rests three times as long as the page took: a pass with much to do (the first on an
                // old outbox, or after the retention is shortened) holds the database, and SQLite's one
                // writer, at most a quarter of the time, and the ledger keeps the rest.
                await Task.Delay(RestPerPage * time.GetElapsedTime(started), time, cancellationToken).ConfigureAwait(false);
            }
        }
        while (!done);

        if (total > 0)
        {
            Log.OutboxHistoryPurged(logger, total, settings.HistoryRetentionDays);
        }

        return total;
    }
}
