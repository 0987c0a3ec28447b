using Microsoft.Extensions.Options;
using Orian.Ledger;
using Orian.Service.Configuration;

namespace Orian.Service.Pipeline;

/// <summary>
/// Makes the ledger agree with every stand-in answer: a decision committed for a request that was
/// answered with the stand-in is revoked, once, with its journal line and event (docs/authorisation.md).
/// Runs at start-up (before the service takes traffic, so a crash between a late commit and its
/// revocation is repaired first), every <see cref="AuthorisationOptions.ReconcileIntervalMs"/>, and
/// at once whenever a record is handed over: by a worker whose decision committed after its request
/// gave up, or by a request whose stand-in could not be written.
/// </summary>
internal sealed class StandInReconciler(
    LedgerBatchApplier applier, ILedgerStore store, IOptions<AuthorisationOptions> options, TimeProvider time, ILogger<StandInReconciler> logger,
    Diagnostics.OrianMetrics metrics) : BackgroundService
{
    private const int PageSize = 100;
    private const int MaxPending = 10_000;

    /// <summary>Records that could not be written or settled yet, kept until the next round.
    /// Bounded: past <see cref="MaxPending"/> the oldest wait for their durable copy.</summary>
    private readonly Queue<StandInRecord> _pending = new();
    private readonly System.Threading.Channels.Channel<bool> _doorbell = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    /// <summary>Settles <paramref name="record"/> on the reconciler's loop, now, and again each round
    /// until it is settled (its durable copy, once written, is found by every round too).</summary>
    public void Settle(StandInRecord record)
    {
        Keep(record);
        Wake();
    }

    /// <summary>Keeps a record for the next round without waking the loop (bounded: past
    /// <see cref="MaxPending"/> the oldest wait for their durable copy).</summary>
    private void Keep(StandInRecord record)
    {
        lock (_pending)
        {
            if (_pending.Count >= MaxPending)
            {
                _pending.Dequeue();
            }

            _pending.Enqueue(record);
        }
    }

    private void Wake() => _doorbell.Writer.TryWrite(true);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the loop, then settles what was handed over meanwhile: the pipeline stops first
    /// (it is registered later) and may hand over a late decision while it drains. Whatever this last
    /// round cannot settle is in the database and settled at the next start.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        bool handed;
        lock (_pending)
        {
            handed = _pending.Count > 0;
        }

        if (handed)
        {
            await RunOnceAsync(cancellationToken, scanOpen: false).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.ReconcileIntervalMs);
        var scanned = time.GetTimestamp(); // StartAsync has just read every open record
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

            // A hand-over is settled at once; the open records in the database are read once an
            // interval, not on every hand-over, so a burst of late decisions costs no extra reads.
            var scan = time.GetElapsedTime(scanned) >= interval;
            if (scan)
            {
                scanned = time.GetTimestamp();
            }

            await RunOnceAsync(stoppingToken, scan).ConfigureAwait(false);
        }
    }

    /// <summary>One round: the records handed over in memory, then (with <paramref name="scanOpen"/>)
    /// every open record in the database. A round that fails keeps what was handed over for the next
    /// one, without waking the loop: a database that is away is not asked again until the interval.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken, bool scanOpen = true)
    {
        try
        {
            StandInRecord[] handed;
            lock (_pending)
            {
                handed = [.. _pending];
                _pending.Clear();
            }

            var noDecisionBefore = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.StandInHorizonSeconds);
            if (handed.Length > 0)
            {
                try
                {
                    metrics.Revoked(await applier.ResolveStandInsAsync(handed, noDecisionBefore, cancellationToken).ConfigureAwait(false));
                }
                catch
                {
                    foreach (var record in handed)
                    {
                        Keep(record);
                    }

                    throw;
                }
            }

            var settled = handed.Length;
            var open = scanOpen ? await store.GetOpenStandInsAsync(PageSize, cancellationToken).ConfigureAwait(false) : [];
            if (open.Count > 0)
            {
                metrics.Revoked(await applier.ResolveStandInsAsync(open, noDecisionBefore, cancellationToken).ConfigureAwait(false));
                settled += open.Count;
            }

            if (settled > 0)
            {
                Log.StandInsSettled(logger, settled);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ReconcileFailed(logger, e);
        }
    }
}
