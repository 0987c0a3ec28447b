using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orian.Ledger;
using Orian.Service.Configuration;

namespace Orian.Service.Pipeline;

/// <summary>
/// The path from request to commit: N bounded channels, one worker each. A request's event goes to
/// the partition of its account; the worker takes what has queued up (a batch), applies it in one
/// database transaction, and only then completes the waiting requests. Ordering invariant: one
/// account's events are applied in the order their requests were enqueued, because one partition has
/// exactly one reader and commits batches one after another.
/// </summary>
internal sealed class IngestPipeline : BackgroundService
{
    private readonly Channel<WorkItem>[] _partitions;
    private readonly LedgerBatchApplier _applier;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPipeline> _logger;

    public IngestPipeline(LedgerBatchApplier applier, IOptions<PipelineOptions> options, TimeProvider time, ILogger<IngestPipeline> logger)
    {
        _applier = applier;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _partitions = new Channel<WorkItem>[_options.Partitions];
        for (var i = 0; i < _partitions.Length; i++)
        {
            // Wait mode with TryWrite never waits: a full partition makes TryWrite return false, and
            // the request is answered 503 at once. Nothing here grows without bound.
            _partitions[i] = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(_options.PartitionCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = false,
            });
        }
    }

    /// <summary>Queues an event for its partition; false when the partition is full (or stopping).</summary>
    public bool TryEnqueue(PendingEvent pending, out Task<ApplyResult> completion)
    {
        var item = new WorkItem(pending);
        completion = item.Completion;
        return _partitions[PartitionKey.Of(pending.Event, _partitions.Length)].Writer.TryWrite(item);
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
            partition.Writer.TryComplete();
        }

        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunPartitionAsync(int partition, CancellationToken stoppingToken)
    {
        var reader = _partitions[partition].Reader;
        var batch = new List<WorkItem>(_options.MaxBatchSize);
        // The workers drain until the channel is completed by StopAsync, not until stoppingToken:
        // everything accepted is applied (or answered with an error), never dropped.
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            batch.Clear();
            Drain(reader, batch);
            if (batch.Count < _options.MaxBatchSize && _options.BatchLingerMs > 0 && !stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.BatchLingerMs), _time, CancellationToken.None).ConfigureAwait(false);
                Drain(reader, batch);
            }

            await ApplyAsync(partition, batch).ConfigureAwait(false);
        }
    }

    private void Drain(ChannelReader<WorkItem> reader, List<WorkItem> batch)
    {
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    private async Task ApplyAsync(int partition, List<WorkItem> batch)
    {
        var started = _time.GetTimestamp();
        try
        {
            var results = await _applier.ApplyAsync(batch.ConvertAll(w => w.Pending), CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(results[i]);
            }

            Log.BatchCommitted(_logger, partition, batch.Count, _time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // One bad event must not fail its neighbours: apply each on its own, so only the events
            // that fail by themselves are answered with an error.
            Log.BatchFailed(_logger, e, partition, batch.Count);
            foreach (var item in batch)
            {
                await ApplySingleAsync(partition, item).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Log.EventFailed(_logger, e, partition, batch[0].Pending.Event.Id, batch[0].Pending.Event.Version);
            batch[0].Fail(e);
        }
    }

    private async Task ApplySingleAsync(int partition, WorkItem item)
    {
        try
        {
            var results = await _applier.ApplyAsync([item.Pending], CancellationToken.None).ConfigureAwait(false);
            item.Complete(results[0]);
        }
        catch (Exception e)
        {
            Log.EventFailed(_logger, e, partition, item.Pending.Event.Id, item.Pending.Event.Version);
            item.Fail(e);
        }
    }
}
