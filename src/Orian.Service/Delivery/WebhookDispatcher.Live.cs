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
    /// endpoint's lane has room and whose circuit is closed are leased to this instance, for the lanes
    /// after the commit. Instruction updates for the Orchestrator are never taken live: one in flight
    /// per instruction across instances is the claims' rule. Never waits; null when nothing is taken
    /// (the dispatcher is not running, or every lane is full).
    /// </summary>
    public ILiveReservation? Reserve(LedgerChanges changes)
    {
        if (_running is not { } pipeline || pipeline.Stopping)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        // A lease owner per batch, as per claim: the database finds a lease's rows by owner in a few
        // index probes, where one owner for every live delivery had its index entries pile up.
        var (owner, until) = NewLease(now, "live");
        List<(int Index, string EndpointId)>? taken = null;
        for (var i = 0; i < changes.Deliveries.Count; i++)
        {
            var d = changes.Deliveries[i];
            if (d.EndpointId == FanOut.OrchestratorEndpointId || _breakers.IsOpen(d.EndpointId) || !pipeline.TryTakeLive(d.EndpointId))
            {
                continue;
            }

            changes.Deliveries[i] = d with { LeaseOwner = owner, LeaseUntil = until };
            (taken ??= []).Add((i, d.EndpointId));
        }

        return taken is null ? null : new LiveReservation(pipeline, owner, until, taken);
    }

    /// <summary>Whether a claim could take any of <paramref name="queued"/> now: one not taken live whose
    /// endpoint's circuit is closed.</summary>
    public bool CouldClaimAny(IReadOnlyList<DeliveryWrite> queued) => queued.Any(d => d.LeaseOwner is null && !_breakers.IsOpen(d.EndpointId));

    /// <summary>A batch's room in the lanes: handed over after its commit, given back otherwise.</summary>
    private sealed class LiveReservation(Pipeline pipeline, string owner, DateTimeOffset until, List<(int Index, string EndpointId)> taken) : ILiveReservation
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
            foreach (var (i, _) in taken)
            {
                var d = changes.Deliveries[i];
                var e = events[d.EventId];
                var delivery = new ClaimedDelivery
                {
                    EventId = e.EventId, EventType = e.Type, Payload = e.Payload, EndpointId = d.EndpointId, EndpointKind = Destinations.Webhook,
                    TransactionId = e.TransactionId, EventCreatedAt = e.At, TraceParent = e.TraceParent, Live = true,
                };
                pipeline.Lanes.EnqueueLive(d.EndpointId, new Leased(owner, until, delivery, versions.GetValueOrDefault(d.EndpointId)));
            }
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            foreach (var (_, endpointId) in taken)
            {
                pipeline.GiveBackLive(endpointId);
            }
        }
    }
}
