using Microsoft.Extensions.Options;
using Orian.Authorisation;
using Orian.Ledger;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;

namespace Orian.Service.Pipeline;

/// <summary>
/// The path from request to commit: N partitions, two lanes each, one worker per lane. A request's
/// event goes to the partition of its account, and to the decision lane if it asks for a decision;
/// a worker takes what has queued up in its lane (a batch), applies it in one database transaction,
/// and only then completes the waiting requests. Ordering invariant: one account's notifications are
/// applied in the order they were accepted, by one worker, in batches committed one after another;
/// its decisions likewise by the other. A decision and a notification batch on the same account are
/// serialised by the database (row locks, or a single writer's turns, where the decision has the
/// next turn), so each sees everything the other committed, and neither waits for the other's queue.
/// </summary>
internal sealed class IngestPipeline : BackgroundService
{
    private readonly Partition[] _partitions;
    private readonly LedgerBatchApplier _applier;
    private readonly AuthorisationPolicy _policy;
    private readonly StandInReconciler _reconciler;
    private readonly DecisionConfirmations _confirmations;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly OrianMetrics _metrics;

    public IngestPipeline(
        LedgerBatchApplier applier, AuthorisationPolicy policy, StandInReconciler reconciler, DecisionConfirmations confirmations,
        IOptions<PipelineOptions> options, TimeProvider time, ILogger<IngestPipeline> logger, OrianMetrics metrics)
    {
        _metrics = metrics;
        _reconciler = reconciler;
        _confirmations = confirmations;
        _applier = applier;
        _policy = policy;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _partitions = new Partition[_options.Partitions];
        for (var i = 0; i < _partitions.Length; i++)
        {
            _partitions[i] = new Partition(_options);
        }

        _metrics.ObserveQueues(ObserveQueues);
    }

    /// <summary>Events waiting in each partition, by lane.</summary>
    public IReadOnlyList<(int Partition, int Authorisations, int Notifications)> QueueDepths() =>
        [.. _partitions.Select((p, i) => (i, p.Decisions.Queued, p.Notifications.Queued))];

    private IEnumerable<Measurement<int>> ObserveQueues()
    {
        for (var i = 0; i < _partitions.Length; i++)
        {
            var partition = new KeyValuePair<string, object?>("orian.partition", i);
            yield return new(_partitions[i].Decisions.Queued, partition, new("orian.lane", "authorisation"));
            yield return new(_partitions[i].Notifications.Queued, partition, new("orian.lane", "notification"));
        }
    }

    /// <summary>Queues an event for its partition; false when the partition is full (or stopping).</summary>
    public bool TryEnqueue(PendingEvent pending, out Task<ApplyResult> completion)
    {
        var item = new WorkItem(pending);
        completion = item.Completion;
        if (pending.Ticket is { } ticket)
        {
            ticket.Timings.Queued = _time.GetTimestamp();
        }

        return _partitions[PartitionKey.Of(pending.Event, _partitions.Length)].TryWrite(item);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = new List<Task>(2 * _partitions.Length);
        for (var i = 0; i < _partitions.Length; i++)
        {
            var partition = i;
            var lanes = _partitions[partition];
            workers.Add(Task.Run(() => RunLaneAsync(partition, lanes.Decisions, linger: false, beside: null, stoppingToken), CancellationToken.None));
            workers.Add(Task.Run(() => RunLaneAsync(partition, lanes.Notifications, _options.BatchLingerMs > 0, beside: lanes.Decisions, stoppingToken), CancellationToken.None));
        }

        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            // The workers have answered or started confirming everything accepted; those confirmations end.
            await _confirmations.DrainAsync().ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Refuse new work, then let the workers finish what was accepted before the host stops.
        foreach (var partition in _partitions)
        {
            partition.Complete();
        }

        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="beside">The decision lane of the same partition, for the notification worker:
    /// while it has decided in the last second, batches are kept to
    /// <see cref="PipelineOptions.MaxBatchBesideDecisions"/>, so a decision that needs an account a
    /// notification batch holds waits for a short batch.</param>
    private async Task RunLaneAsync(int index, Lane lane, bool linger, Lane? beside, CancellationToken stoppingToken)
    {
        Activity.Current = null; // a batch span is a root of its own, linked to its requests
        var batch = new List<WorkItem>(_options.MaxBatchSize);
        // The worker drains until the lane is completed by StopAsync, not until stoppingToken:
        // everything accepted is applied (or answered with an error), never dropped.
        while (true)
        {
            batch.Clear();
            var now = _time.GetTimestamp();
            var max = beside is not null && beside.TookWithin(_time, now, TimeSpan.FromSeconds(1))
                ? Math.Min(_options.MaxBatchBesideDecisions, _options.MaxBatchSize)
                : _options.MaxBatchSize;
            lane.Take(batch, max, now);
            if (batch.Count == 0)
            {
                if (!await lane.WaitAsync().ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            if (linger && batch.Count < max && !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.BatchLingerMs), _time, CancellationToken.None).ConfigureAwait(false);
                lane.Take(batch, max, _time.GetTimestamp());
            }

            await ApplyAsync(index, batch).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(int partition, List<WorkItem> batch)
    {
        using var activity = StartBatchActivity(partition, batch);
        var started = _time.GetTimestamp();
        try
        {
            var timings = Timings(batch, started);
            var results = await _applier.ApplyAsync(batch.ConvertAll(w => w.Pending), CancellationToken.None, timings).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
            Log.BatchCommitted(_logger, partition, batch.Count, elapsed);
            _metrics.BatchCommitted(results, elapsed);
            await CompleteAsync(batch, results).ConfigureAwait(false);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // One bad event must not fail its neighbours: apply each on its own, so only the events
            // that fail by themselves are answered with an error.
            Log.BatchFailed(_logger, e, partition, batch.Count);
            _metrics.BatchFailed();
            activity?.AddEvent(new ActivityEvent("batch failed; applying its events one by one"));
            foreach (var item in batch)
            {
                await ApplySingleAsync(partition, item).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Log.EventFailed(_logger, e, partition, Untrusted.Id(batch[0].Pending.Event.Id), batch[0].Pending.Event.Version);
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            batch[0].Fail(e);
        }
    }

    /// <summary>For a batch with decisions: marks each taken at <paramref name="taken"/> and gives
    /// each the object the applier fills with its transaction's steps; null for notifications only.</summary>
    private static BatchTimings? Timings(List<WorkItem> batch, long taken)
    {
        BatchTimings? timings = null;
        foreach (var item in batch)
        {
            if (item.Pending.Ticket is { } ticket)
            {
                ticket.Timings.Taken = taken;
                ticket.Timings.Batch = timings ??= new BatchTimings();
            }
        }

        return timings;
    }

    /// <summary>The span of one commit, linked to the span of each request it answers; none (and no
    /// links built) when nothing listens.</summary>
    private static Activity? StartBatchActivity(int partition, List<WorkItem> batch)
    {
        if (!OrianActivities.Source.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>(batch.Count);
        foreach (var item in batch)
        {
            if (item.Trace != default)
            {
                links.Add(new ActivityLink(item.Trace));
            }
        }

        var activity = OrianActivities.Source.StartActivity("orian.batch", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("orian.partition", partition);
        activity?.SetTag("orian.batch.size", batch.Count);
        return activity;
    }

    private async Task ApplySingleAsync(int partition, WorkItem item)
    {
        try
        {
            var started = _time.GetTimestamp();
            var timings = Timings([item], started);
            var results = await _applier.ApplyAsync([item.Pending], CancellationToken.None, timings).ConfigureAwait(false);
            _metrics.BatchCommitted(results, _time.GetElapsedTime(started).TotalMilliseconds);
            await CompleteAsync([item], results).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.EventFailed(_logger, e, partition, Untrusted.Id(item.Pending.Event.Id), item.Pending.Event.Version);
            item.Fail(e);
        }
    }

    /// <summary>Answers the waiting requests. A decision that won its request's answer (the worker
    /// completed the ticket before the deadline) goes to <see cref="DecisionConfirmations"/> and is
    /// answered once confirmed. One whose request already gave up at its deadline (and answered the
    /// stand-in) stays unconfirmed, and is handed to the reconciler, which revokes it at once on its
    /// own loop; if that fails, or the process dies first, its next round finds it in the database.
    /// Until then the late hold only makes the account look poorer, never richer.</summary>
    private async ValueTask CompleteAsync(List<WorkItem> batch, ApplyResult[] results)
    {
        List<DecisionKey>? lost = null;
        List<(WorkItem, ApplyResult)>? won = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            var pending = item.Pending;
            var ticket = pending.Ticket;
            if (ticket is null || results[i].StandInCause is not null)
            {
                // A notification, or a re-sent request whose version has no decision to confirm.
                ticket?.TryComplete();
                item.Complete(results[i]);
            }
            else if (ticket.TryComplete())
            {
                (won ??= []).Add((item, results[i]));
            }
            else
            {
                if (!ticket.DecidedAsStandIn)
                {
                    Log.DecisionTooLate(_logger, Untrusted.Id(pending.Event.Id), pending.Event.Version, results[i].Decision?.ResultText ?? "none");
                    (lost ??= []).Add(new DecisionKey(pending.Event.Id, pending.Event.Version));
                }

                item.Complete(results[i]);
            }
        }

        if (won is not null)
        {
            await _confirmations.StartAsync(won).ConfigureAwait(false);
        }

        if (lost is not null)
        {
            _reconciler.Revoke(lost);
        }
    }
}
