using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orian.Ledger;
using Orian.Service.Configuration;

namespace Orian.Service.Pipeline;

/// <summary>
/// Makes the ledger agree with every stand-in answer: a decision committed but never confirmed as its
/// request's answer is revoked, once, with its journal line and event (docs/authorisation.md). It
/// works from the database alone: every round reads, page after page in (deadline, key) order, the
/// decisions neither confirmed nor revoked whose deadline passed more than
/// <see cref="AuthorisationOptions.ConfirmGraceMs"/> ago, however many there are. Rounds run at
/// start-up (before the service takes traffic, so whatever a crash left is settled first), every
/// <see cref="AuthorisationOptions.ReconcileIntervalMs"/>, and at once when a worker hands over a
/// decision that committed after its request gave up (a hand-over only saves time: a lost one is
/// found by the next round). The one hand-over the database cannot stand in for is a confirmation in
/// doubt (attempted, outcome unknown, the stand-in answered): it carries the attempt's time, and is
/// kept and tried again each round until its revocation commits.
/// </summary>
internal sealed class StandInReconciler(
    LedgerBatchApplier applier, ILedgerStore store, IOptions<AuthorisationOptions> options, TimeProvider time, ILogger<StandInReconciler> logger,
    Diagnostics.OrianMetrics metrics) : BackgroundService
{
    /// <summary>Hand-overs kept for the next round at most; past it they wait for the database scan.</summary>
    private const int MaxHandedOver = 10_000;

    private readonly ConcurrentQueue<(DecisionKey Key, DateTimeOffset? InDoubt)> _handed = new();
    private readonly System.Threading.Channels.Channel<bool> _doorbell = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    /// <summary>Revokes these decisions now, on the reconciler's loop, if they are still unconfirmed
    /// (their requests answered the stand-in). The database scan covers any this does not reach.</summary>
    /// <param name="inDoubt">The time of a confirmation of these keys whose outcome is unknown (their
    /// requests answered the stand-in): a decision confirmed at exactly that time is revoked too.</param>
    public void Revoke(IEnumerable<DecisionKey> keys, DateTimeOffset? inDoubt = null)
    {
        foreach (var key in keys)
        {
            Keep((key, inDoubt));
        }

        _doorbell.Writer.TryWrite(true);
    }

    private void Keep((DecisionKey Key, DateTimeOffset? InDoubt) handOver)
    {
        if (_handed.Count < MaxHandedOver)
        {
            _handed.Enqueue(handOver);
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the loop, then revokes what was handed over meanwhile: the pipeline stops first
    /// (it is registered later) and may hand over a late decision while it drains. Whatever this last
    /// round does not reach is in the database and settled at the next start.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!_handed.IsEmpty)
        {
            await RunOnceAsync(cancellationToken, scan: false).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.ReconcileIntervalMs);
        var scanned = time.GetTimestamp(); // StartAsync has just scanned
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                // Whichever comes first, a ring or the interval; the other is cancelled.
                await Task.WhenAny(_doorbell.Reader.WaitToReadAsync(wait.Token).AsTask(), Task.Delay(interval, time, wait.Token)).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
            }

            _doorbell.Reader.TryRead(out _);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            // A hand-over is revoked at once; the database is scanned once an interval, not on every
            // hand-over, so a burst of late decisions costs no extra reads.
            var scan = time.GetElapsedTime(scanned) >= interval;
            if (scan)
            {
                scanned = time.GetTimestamp();
            }

            await RunOnceAsync(stoppingToken, scan).ConfigureAwait(false);
        }
    }

    /// <summary>One round: the decisions handed over, then (with <paramref name="scan"/>) every
    /// unconfirmed decision past its deadline and the grace, page after page. A round that fails is
    /// logged; the next one starts again from the database.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken, bool scan = true)
    {
        var pageSize = options.Value.ReconcilePageSize;
        var revoked = 0;
        var read = 0;
        var handed = new List<(DecisionKey Key, DateTimeOffset? InDoubt)>();
        var done = 0;
        try
        {
            while (_handed.TryDequeue(out var handOver))
            {
                handed.Add(handOver);
            }

            // One per key, keeping a confirmation in doubt's time over a plain hand-over of the same key.
            handed = [.. handed.GroupBy(h => h.Key).Select(g => g.FirstOrDefault(h => h.InDoubt is not null, g.First()))];
            foreach (var chunk in handed.Chunk(pageSize))
            {
                var inDoubt = chunk.Where(h => h.InDoubt is not null).ToDictionary(h => h.Key, h => h.InDoubt!.Value);
                revoked += await applier.RevokeUnconfirmedAsync([.. chunk.Select(h => h.Key)], cancellationToken, inDoubt).ConfigureAwait(false);
                read += chunk.Length;
                done += chunk.Length;
            }

            if (scan)
            {
                var before = time.GetUtcNow() - TimeSpan.FromMilliseconds(options.Value.ConfirmGraceMs);
                UnconfirmedDecision? after = null;
                while (true)
                {
                    var page = await store.GetUnconfirmedDecisionsAsync(before, after, pageSize, cancellationToken).ConfigureAwait(false);
                    if (page.Count > 0)
                    {
                        revoked += await applier.RevokeUnconfirmedAsync([.. page.Select(d => d.Key)], cancellationToken).ConfigureAwait(false);
                        read += page.Count;
                        after = page[^1];
                    }

                    if (page.Count < pageSize)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A confirmation in doubt is known only here: kept for the next round (the rest are in the
            // database, where the scan finds them).
            foreach (var handOver in handed.Skip(done).Where(h => h.InDoubt is not null))
            {
                Keep(handOver);
            }

            Log.ReconcileFailed(logger, e);
        }
        finally
        {
            metrics.Revoked(revoked);
            if (read > 0)
            {
                Log.Reconciled(logger, read, revoked);
            }
        }
    }
}
