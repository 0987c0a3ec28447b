using System.Threading.Channels;
using Orian.Service.Configuration;

namespace Orian.Service.Pipeline;

/// <summary>
/// One partition: authorisation requests and notifications in two bounded channels, so a decision
/// never waits behind a long queue of notifications, and a doorbell that wakes the single worker.
/// Writers ring after they enqueue and the worker looks at both channels before it waits, so no
/// wake-up is lost; a stale ring only costs one empty look.
/// </summary>
internal sealed class Partition
{
    private readonly Channel<WorkItem> _authorisations;
    private readonly Channel<WorkItem> _notifications;
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite, // one ring is enough
        SingleReader = true,
    });

    public Partition(PipelineOptions options)
    {
        // Wait mode with TryWrite never waits: a full channel makes TryWrite return false, and the
        // request is answered at once. Nothing here grows without bound.
        var bounded = new BoundedChannelOptions(options.PartitionCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true };
        _authorisations = Channel.CreateBounded<WorkItem>(bounded);
        _notifications = Channel.CreateBounded<WorkItem>(bounded);
    }

    public bool TryWrite(WorkItem item)
    {
        var channel = item.Pending.Ticket is null ? _notifications : _authorisations;
        if (!channel.Writer.TryWrite(item))
        {
            return false;
        }

        _doorbell.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Fills <paramref name="batch"/>: waiting authorisations alone if there are any (they
    /// commit in a small batch of their own), else notifications.</summary>
    public void Take(List<WorkItem> batch, int max)
    {
        var reader = _authorisations.Reader;
        while (batch.Count < max && reader.TryRead(out var item))
        {
            batch.Add(item);
        }

        if (batch.Count > 0)
        {
            return;
        }

        reader = _notifications.Reader;
        while (batch.Count < max && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    public bool HasAuthorisations => _authorisations.Reader.Count > 0;

    /// <summary>Authorisations waiting (for the gauge and the status view).</summary>
    public int QueuedAuthorisations => _authorisations.Reader.Count;

    /// <summary>Notifications waiting.</summary>
    public int QueuedNotifications => _notifications.Reader.Count;

    /// <summary>Waits for a ring; false once the partition is completed and nothing is left.</summary>
    public async ValueTask<bool> WaitAsync()
    {
        if (_authorisations.Reader.Completion.IsCompleted && _notifications.Reader.Completion.IsCompleted)
        {
            return false;
        }

        if (await _doorbell.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            _doorbell.Reader.TryRead(out _);
        }

        return true;
    }

    /// <summary>Refuses new work; the worker drains what was accepted and then stops.</summary>
    public void Complete()
    {
        _authorisations.Writer.TryComplete();
        _notifications.Writer.TryComplete();
        _doorbell.Writer.TryComplete();
    }
}
