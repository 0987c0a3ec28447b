using Microsoft.Extensions.Options;
using Orian.Authorisation;
using Orian.Ledger;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;

namespace Orian.Service.Pipeline;

/// <summary>
/// The path from request to commit: N partitions, one worker each. A request's event goes to the
/// partition of its account; the worker takes what has queued up (a batch), applies it in one
/// database transaction, and only then completes the waiting requests. Ordering invariant: within a
/// partition, events of one kind are applied in the order they were accepted, and one account's
/// events are never applied by two workers, because a partition has exactly one reader and commits
/// batches one after another. Authorisation requests overtake queued notifications.
/// </summary>
internal sealed class IngestPipeline : BackgroundService
{
    private readonly Partition[] _partitions;
    private readonly LedgerBatchApplier _applier;
    private readonly AuthorisationPolicy _policy;
    private readonly Outbox.OutboxSignal _outbox;
    private readonly StandInReconciler _reconciler;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly OrianMetrics _metrics;

    public IngestPipeline(
        LedgerBatchApplier applier, AuthorisationPolicy policy, Outbox.OutboxSignal outbox, StandInReconciler reconciler,
        IOptions<PipelineOptions> options, TimeProvider time, ILogger<IngestPipeline> logger, OrianMetrics metrics)
    {
        _metrics = metrics;
        _outbox = outbox;
        _reconciler = reconciler;
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
        [.. _partitions.Select((p, i) => (i, p.QueuedAuthorisations, p.QueuedNotifications))];

    private IEnumerable<Measurement<int>> ObserveQueues()
    {
        for (var i = 0; i < _partitions.Length; i++)
        {
            var partition = new KeyValuePair<string, object?>("orian.partition", i);
            yield return new(_partitions[i].QueuedAuthorisations, partition, new("orian.lane", "authorisation"));
            yield return new(_partitions[i].QueuedNotifications, partition, new("orian.lane", "notification"));
        }
    }

    /// <summary>Queues an event for its partition; false when the partition is full (or stopping).</summary>
    public bool TryEnqueue(PendingEvent pending, out Task<ApplyResult> completion)
    {
        var item = new WorkItem(pending);
        completion = item.Completion;
        return _partitions[PartitionKey.Of(pending.Event, _partitions.Length)].TryWrite(item);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = new Task[_partitions.Length];
        for (var i = 0; i < workers.Length; i++)
        {
            var partition = i;
            workers[i] = Task.Run(() => RunPartitionAsync(partition, stoppingToken), CancellationToken.None);
        }

        return Task.WhenAll(workers);
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

    private async Task RunPartitionAsync(int index, CancellationToken stoppingToken)
    {
        Activity.Current = null; // a batch span is a root of its own, linked to its requests
        var partition = _partitions[index];
        var batch = new List<WorkItem>(_options.MaxBatchSize);
        // The worker drains until the partition is completed by StopAsync, not until stoppingToken:
        // everything accepted is applied (or answered with an error), never dropped.
        while (true)
        {
            batch.Clear();
            partition.Take(batch, _options.MaxBatchSize);
            if (batch.Count == 0)
            {
                if (!await partition.WaitAsync().ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            if (batch[0].Pending.Ticket is null && batch.Count < _options.MaxBatchSize && _options.BatchLingerMs > 0
                && !stoppingToken.IsCancellationRequested && !partition.HasAuthorisations)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.BatchLingerMs), _time, CancellationToken.None).ConfigureAwait(false);
                partition.Take(batch, _options.MaxBatchSize);
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
            var results = await _applier.ApplyAsync(batch.ConvertAll(w => w.Pending), CancellationToken.None).ConfigureAwait(false);
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
            var results = await _applier.ApplyAsync([item.Pending], CancellationToken.None).ConfigureAwait(false);
            _metrics.BatchCommitted(results, _time.GetElapsedTime(started).TotalMilliseconds);
            await CompleteAsync([item], results).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.EventFailed(_logger, e, partition, Untrusted.Id(item.Pending.Event.Id), item.Pending.Event.Version);
            item.Fail(e);
        }
    }

    /// <summary>Answers the waiting requests. A request that already gave up at its deadline (and
    /// answered the stand-in) is settled before this worker takes its next batch: the stand-in is
    /// recorded and a decision committed for it revoked, so no hold outlives an answer that did not
    /// grant it. If that fails, the reconciler retries it; the request's own durable record of the
    /// stand-in covers a crash in between.</summary>
    private async Task CompleteAsync(List<WorkItem> batch, ApplyResult[] results)
    {
        _outbox.Ring(); // the commit may have written events: wake the dispatcher now, not at its next poll
        List<StandInRecord>? late = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i].Pending;
            if (pending.Ticket is { } ticket && !ticket.TryComplete())
            {
                if (!ticket.DecidedAsStandIn)
                {
                    Log.DecisionTooLate(_logger, Untrusted.Id(pending.Event.Id), pending.Event.Version, results[i].Decision?.ResultText ?? "none");
                }

                (late ??= []).Add(new StandInRecord(pending.Event.Id, pending.Event.Version,
                    _policy.StandIn("answered with the stand-in at the deadline; the decision committed too late"), ticket.TimedOutAt));
            }

            batch[i].Complete(results[i]);
        }

        if (late is not null)
        {
            await SettleAsync(late).ConfigureAwait(false);
        }
    }

    private async Task SettleAsync(List<StandInRecord> late)
    {
        try
        {
            _metrics.Revoked(await _applier.ResolveStandInsAsync(late, DateTimeOffset.MinValue, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            Log.RevocationFailed(_logger, e, late.Count);
            foreach (var record in late)
            {
                _reconciler.Retry(record);
            }
        }
    }
}
