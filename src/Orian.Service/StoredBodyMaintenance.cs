using Microsoft.Extensions.Options;
using Orian.Ledger;
using Orian.Service.Configuration;
using Orian.Storage;

namespace Orian.Service;

/// <summary>
/// Keeps what is stored of received bodies within what card data rules allow, in the background and
/// a short transaction at a time: first re-keys every payload hash written as a plain SHA-256 before
/// hashes were keyed (from start-up until none is left) and masks a card number in the codes of the
/// outbox payloads an older build wrote, then, once per
/// <see cref="CardDataOptions.PurgeIntervalSeconds"/>, purges the bodies older than
/// <see cref="CardDataOptions.RetentionDays"/> that no hold or open shortfall keeps. The version rule
/// reads both kinds of hash meanwhile, so traffic does not wait for either.
/// </summary>
internal sealed class StoredBodyMaintenance(
    StoredBodies bodies, PayloadKeys keys, IOptions<CardDataOptions> options, TimeProvider time, ILogger<StoredBodyMaintenance> logger) : BackgroundService
{
    /// <summary>After a failed page, the wait before the next try.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested && !await TryAsync(() => RekeyAsync(settings.BatchSize, stoppingToken), stoppingToken))
        {
            await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
        }

        while (settings.RetentionDays > 0 && !stoppingToken.IsCancellationRequested)
        {
            var purged = await TryAsync(() => PurgeAsync(settings, stoppingToken), stoppingToken);
            await Task.Delay(purged ? TimeSpan.FromSeconds(settings.PurgeIntervalSeconds) : RetryDelay, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RekeyAsync(int batchSize, CancellationToken cancellationToken)
    {
        long total = 0;
        int page;
        while ((page = await bodies.RekeyPageAsync(keys, batchSize, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += page;
        }

        if (total > 0)
        {
            Log.PayloadHashesRekeyed(logger, total, keys.CurrentId);
        }

        // Then the outbox payloads an older build wrote, once (the pass keeps its place in the database).
        while (await bodies.RedactOutboxPageAsync(batchSize, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    private async Task PurgeAsync(CardDataOptions settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddDays(-settings.RetentionDays);
        long total = 0;
        int page;
        do
        {
            page = await bodies.PurgePageAsync(cutoff, now, settings.BatchSize, cancellationToken).ConfigureAwait(false);
            total += page;
        }
        while (page == settings.BatchSize);

        if (total > 0)
        {
            Log.BodiesPurged(logger, total, settings.RetentionDays);
        }
    }

    /// <summary>Runs <paramref name="work"/>; a failure is logged and answered false (tried again later).</summary>
    private async Task<bool> TryAsync(Func<Task> work, CancellationToken stoppingToken)
    {
        try
        {
            await work().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Log.BodyMaintenanceFailed(logger, e);
            return false;
        }
    }
}
