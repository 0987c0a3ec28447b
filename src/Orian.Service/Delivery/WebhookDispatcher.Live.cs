using Orian.Delivery;
using Orian.Ledger;
using Orian.Outbox;
using Orian.Storage;

namespace Orian.Service.Delivery;

/// <summary>The live path: what a ledger batch hands over from memory.</summary>
internal sealed partial class WebhookDispatcher
{
    /// <summary>
    /// The live path (<see cref="ILiveDeliveries"/>): of a ledger batch's webhook deliveries, those whose
    /// endpoint's lane has room and whose circuit is closed are taken for this instance, under one lease
    /// per endpoint, for the lanes after the commit. Instruction updates for the Orchestrator are never
    /// taken live: one in flight per instruction across instances is the claims' rule. Never waits;
    /// null when nothing is taken (the dispatcher is not running, or every lane is full).
    /// </summary>
    public ILiveReservation? Reserve(LedgerChanges changes)
    {
        if (_running is not { } pipeline || pipeline.Stopping)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        Dictionary<string, (LiveLease Lease, List<int> Taken)>? byEndpoint = null;
        for (var i = 0; i < changes.Deliveries.Count; i++)
        {
            var d = changes.Deliveries[i];
            if (d.EndpointId == FanOut.OrchestratorEndpointId || !LiveLeaseWrite.CanHold(d.EventId) || _breakers.IsOpen(d.EndpointId)
                || !pipeline.TryTakeLive(d.EndpointId))
            {
                continue;
            }

            byEndpoint ??= new(StringComparer.Ordinal);
            if (!byEndpoint.TryGetValue(d.EndpointId, out var lease))
            {
                // A lease per batch and endpoint: its row is found by its owner alone, and goes once
                // its last delivery is recorded.
                var (owner, until) = NewLease(now, "live");
                lease = (new LiveLease(owner, d.EndpointId, until), []);
                byEndpoint[d.EndpointId] = lease;
            }

            changes.Deliveries[i] = d with { LeaseOwner = lease.Lease.Owner };
            lease.Taken.Add(i);
        }

        if (byEndpoint is null)
        {
            return null;
        }

        foreach (var (lease, taken) in byEndpoint.Values)
        {
            lease.Total = taken.Count;
            changes.LiveLeases.Add(new LiveLeaseWrite(lease.Owner, lease.EndpointId, lease.Until, [.. taken.Select(i => changes.Deliveries[i].EventId)]));
        }

        return new LiveReservation(pipeline, [.. byEndpoint.Values]);
    }

    /// <summary>Whether a claim could take any of <paramref name="queued"/> now: one not taken live whose
    /// endpoint's circuit is closed.</summary>
    public bool CouldClaimAny(IReadOnlyList<DeliveryWrite> queued) => queued.Any(d => d.LeaseOwner is null && !_breakers.IsOpen(d.EndpointId));

    /// <summary>One lease row of a batch's live deliveries to one endpoint, as the dispatcher tracks it:
    /// how many deliveries it holds, and how many of them are recorded. The record that brings the
    /// count to the total deletes the row, in its own transaction.</summary>
    private sealed class LiveLease(string owner, string endpointId, DateTimeOffset until)
    {
        private long _untilTicks = until.UtcTicks;

        public string Owner { get; } = owner;
        public string EndpointId { get; } = endpointId;

        /// <summary>When the lease runs out, as last written (by the batch, or a renewal of any of its
        /// deliveries: the lanes renew concurrently, and the latest end holds).</summary>
        public DateTimeOffset Until => new(Volatile.Read(ref _untilTicks), TimeSpan.Zero);

        public void Renewed(DateTimeOffset until)
        {
            var ticks = until.UtcTicks;
            for (var seen = Volatile.Read(ref _untilTicks); seen < ticks; seen = Volatile.Read(ref _untilTicks))
            {
                if (Interlocked.CompareExchange(ref _untilTicks, ticks, seen) == seen)
                {
                    return;
                }
            }
        }

        public int Total { get; set; }

        /// <summary>Recorded so far; only the recorder's one loop reads or moves it.</summary>
        public int Recorded { get; set; }
    }

    /// <summary>A batch's room in the lanes: handed over after its commit, given back otherwise.</summary>
    private sealed class LiveReservation(Pipeline pipeline, List<(LiveLease Lease, List<int> Taken)> leases) : ILiveReservation
    {
        private int _done;

        public void Committed(LedgerChanges changes)
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            var events = new Dictionary<string, OutboxEvent>(StringComparer.Ordinal);
            foreach (var e in changes.Outbox)
            {
                events.TryAdd(e.EventId, e);
            }

            var versions = changes.Subscriptions.ToDictionary(s => s.EndpointId, s => s.UpdatedAt, StringComparer.Ordinal);
            foreach (var (lease, taken) in leases)
            {
                foreach (var i in taken)
                {
                    var d = changes.Deliveries[i];
                    var e = events[d.EventId];
                    var delivery = new ClaimedDelivery
                    {
                        EventId = e.EventId, EventType = e.Type, Payload = e.Payload, EndpointId = d.EndpointId, EndpointKind = Destinations.Webhook,
                        TransactionId = e.TransactionId, EventCreatedAt = e.At, TraceParent = e.TraceParent, Live = true,
                    };
                    pipeline.Lanes.EnqueueLive(d.EndpointId, new Leased(lease.Owner, lease.Until, delivery, versions.GetValueOrDefault(d.EndpointId), lease));
                }
            }
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            foreach (var (lease, taken) in leases)
            {
                foreach (var _ in taken)
                {
                    pipeline.GiveBackLive(lease.EndpointId);
                }
            }
        }
    }
}
