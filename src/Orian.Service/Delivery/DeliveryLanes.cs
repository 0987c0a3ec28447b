using System.Collections.Concurrent;

namespace Orian.Service.Delivery;

/// <summary>
/// The senders, as one lane per endpoint: deliveries wait in their endpoint's lane, and each lane runs
/// at most <c>perEndpoint</c> sends at once out of <c>total</c> for the instance, so a slow endpoint
/// holds only its own share of the senders. A lane's workers start when work arrives and end when it
/// runs dry (no task waits on an idle endpoint); the senders are handed out first come, first served,
/// so busy lanes take turns. Claimed deliveries and those taken live (handed over by the ledger batch
/// that wrote them) go through the same lanes, claimed ones first: they are older (a retry fallen due,
/// or one a batch left to the claims because the lane was full), so under a sustained overload the
/// deliveries left behind are not overtaken for as long as the overload lasts.
/// </summary>
/// <typeparam name="T">A delivery on its way.</typeparam>
internal sealed class DeliveryLanes<T>(int total, int perEndpoint, int liveDepth, Func<T, CancellationToken, Task> send, CancellationToken stop)
{
    /// <summary>Lanes kept at most: beyond, idle lanes are dropped (endpoints come and go).</summary>
    private const int MaxLanes = 10_000;

    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _senders = new(total, total);
    private readonly ConcurrentDictionary<Task, bool> _workers = new();

    private sealed class Lane
    {
        /// <summary>Claimed deliveries, sent before any live one.</summary>
        public readonly ConcurrentQueue<T> Claimed = new();

        public readonly ConcurrentQueue<T> Live = new();

        /// <summary>Workers running (at most the per-endpoint cap).</summary>
        public int Running;

        /// <summary>Deliveries this lane answers for: reserved by a batch, waiting, or being sent.</summary>
        public int Held;

        /// <summary>Of <see cref="Held"/>, the claimed ones.</summary>
        public int ClaimedHeld;

        public bool IsEmpty => Claimed.IsEmpty && Live.IsEmpty;

        public bool TryDequeue(out T delivery, out bool claimed) =>
            (claimed = Claimed.TryDequeue(out delivery!)) || Live.TryDequeue(out delivery!);
    }

    /// <summary>Deliveries of <paramref name="endpointId"/> reserved, waiting or being sent.</summary>
    public int Held(string endpointId) => _lanes.TryGetValue(endpointId, out var lane) ? Volatile.Read(ref lane.Held) : 0;

    /// <summary>Every endpoint's claimed deliveries waiting or being sent, where not zero: what counts
    /// against the claims' share (live ones do not: claimed ones go first, and a lane busy with live
    /// deliveries must not keep the claims from the ones a batch left behind).</summary>
    public Dictionary<string, int> Busy() =>
        _lanes.Select(l => (l.Key, Held: Volatile.Read(ref l.Value.ClaimedHeld))).Where(l => l.Held > 0).ToDictionary(l => l.Key, l => l.Held, StringComparer.Ordinal);

    /// <summary>Room for one more live delivery of <paramref name="endpointId"/>, taken now, or false
    /// when its lane already answers for <c>liveDepth</c>. Never waits.</summary>
    public bool TryReserve(string endpointId)
    {
        var lane = LaneOf(endpointId);
        if (Interlocked.Increment(ref lane.Held) <= liveDepth)
        {
            return true;
        }

        Interlocked.Decrement(ref lane.Held);
        return false;
    }

    /// <summary>Gives back room <see cref="TryReserve"/> took (the batch did not commit).</summary>
    public void Unreserve(string endpointId) => Interlocked.Decrement(ref LaneOf(endpointId).Held);

    /// <summary>Queues a delivery taken live in its endpoint's lane, in the room
    /// <see cref="TryReserve"/> took for it.</summary>
    public void EnqueueLive(string endpointId, T delivery)
    {
        var lane = LaneOf(endpointId);
        lane.Live.Enqueue(delivery);
        Pump(lane);
    }

    /// <summary>Queues a claimed delivery in its endpoint's lane, ahead of the live ones.</summary>
    public void EnqueueClaimed(string endpointId, T delivery)
    {
        var lane = LaneOf(endpointId);
        Interlocked.Increment(ref lane.Held);
        Interlocked.Increment(ref lane.ClaimedHeld);
        lane.Claimed.Enqueue(delivery);
        Pump(lane);
    }

    private Lane LaneOf(string endpointId)
    {
        if (_lanes.Count > MaxLanes)
        {
            foreach (var (id, idle) in _lanes)
            {
                if (Volatile.Read(ref idle.Held) == 0)
                {
                    _lanes.TryRemove(new KeyValuePair<string, Lane>(id, idle));
                }
            }
        }

        return _lanes.GetOrAdd(endpointId, _ => new Lane());
    }

    /// <summary>Starts one worker when the lane has waiting deliveries and a free worker slot (a
    /// delivery queued starts at most one: workers track deliveries, never more than the cap).</summary>
    private void Pump(Lane lane)
    {
        while (!lane.IsEmpty && !stop.IsCancellationRequested)
        {
            var running = Volatile.Read(ref lane.Running);
            if (running >= perEndpoint)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref lane.Running, running + 1, running) == running)
            {
                var worker = Task.Run(() => WorkAsync(lane), CancellationToken.None);
                _workers[worker] = true;
                worker.ContinueWith(w => _workers.TryRemove(w, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return;
            }
        }
    }

    private async Task WorkAsync(Lane lane)
    {
        try
        {
            while (lane.TryDequeue(out var delivery, out var claimed))
            {
                try
                {
                    await _senders.WaitAsync(stop).ConfigureAwait(false);
                    try
                    {
                        await send(delivery, stop).ConfigureAwait(false);
                    }
                    finally
                    {
                        _senders.Release();
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref lane.Held);
                    if (claimed)
                    {
                        Interlocked.Decrement(ref lane.ClaimedHeld);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopping: what waits is not sent; its lease runs out and a claim takes it
        }
        finally
        {
            Interlocked.Decrement(ref lane.Running);
        }

        // A delivery queued after this worker found the lane empty, while it still counted as running,
        // started no worker of its own: look again.
        Pump(lane);
    }

    /// <summary>Completes when no worker runs (after stop: the sends under way have ended).</summary>
    public async Task DrainedAsync()
    {
        while (!_workers.IsEmpty)
        {
            await Task.WhenAll(_workers.Keys).ConfigureAwait(false);
        }
    }
}
