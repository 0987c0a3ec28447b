using System.Threading.Channels;
using Orian.Service.Configuration;

namespace Orian.Service.Pipeline;

/// <summary>
/// One partition: two lanes, each a bounded channel with one worker of its own. Authorisation
/// requests go to the decision lane and notifications to the notification lane, so a decision never
/// waits in a queue behind notifications, nor for a notification batch to commit: the two workers
/// hold separate database transactions, and the database orders them where they touch the same
/// rows (row locks; where the database has one writer, its turns, in which a decision goes next).
/// </summary>
internal sealed class Partition
{
    public Partition(PipelineOptions options)
    {
        // Wait mode with TryWrite never waits: a full channel makes TryWrite return false, and the
        // request is answered at once. Nothing here grows without bound.
        Decisions = new Lane(options.PartitionCapacity);
        Notifications = new Lane(options.PartitionCapacity);
    }

    /// <summary>Authorisation requests: decided in small batches of their own.</summary>
    public Lane Decisions { get; }

    /// <summary>Notifications, in the order they were accepted.</summary>
    public Lane Notifications { get; }

    public bool TryWrite(WorkItem item) => (item.Pending.Ticket is null ? Notifications : Decisions).TryWrite(item);

    /// <summary>Refuses new work; the workers drain what was accepted and then stop.</summary>
    public void Complete()
    {
        Decisions.Complete();
        Notifications.Complete();
    }
}

/// <summary>One lane of a partition: a bounded channel read by exactly one worker.</summary>
internal sealed class Lane(int capacity)
{
    private long _lastTaken;
    private volatile bool _taken;

    private readonly Channel<WorkItem> _channel = Channel.CreateBounded<WorkItem>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public bool TryWrite(WorkItem item) => _channel.Writer.TryWrite(item);

    /// <summary>Adds what is waiting to <paramref name="batch"/>, up to <paramref name="max"/> in all.</summary>
    public void Take(List<WorkItem> batch, int max, long timestamp = 0)
    {
        var reader = _channel.Reader;
        var before = batch.Count;
        while (batch.Count < max && reader.TryRead(out var item))
        {
            batch.Add(item);
        }

        if (batch.Count > before)
        {
            Volatile.Write(ref _lastTaken, timestamp);
            _taken = true;
        }
    }

    /// <summary>Whether this lane's worker took work less than <paramref name="span"/> before
    /// <paramref name="now"/> (timestamps of <paramref name="time"/>).</summary>
    public bool TookWithin(TimeProvider time, long now, TimeSpan span) => _taken && time.GetElapsedTime(Volatile.Read(ref _lastTaken), now) < span;

    /// <summary>Events waiting (for the gauge and the status view).</summary>
    public int Queued => _channel.Reader.Count;

    /// <summary>Waits for work; false once the lane is completed and drained.</summary>
    public ValueTask<bool> WaitAsync() => _channel.Reader.WaitToReadAsync();

    public void Complete() => _channel.Writer.TryComplete();
}
