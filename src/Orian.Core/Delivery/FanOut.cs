using Orian.Ledger;
using Orian.Orchestrator;
using Orian.Outbox;

namespace Orian.Delivery;

/// <summary>A webhook endpoint as a batch fans its events out to it: the event types it subscribes to,
/// and when it was created (an event older than its endpoint never goes to it). <see cref="UpdatedAt"/>
/// tells the live path whether what it holds of the endpoint (its address and secrets) is current.</summary>
public sealed record Subscription(string EndpointId, IReadOnlyCollection<string> Events, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Parses the stored comma-separated list of event types.</summary>
    public static Subscription Of(string endpointId, string events, DateTimeOffset createdAt, DateTimeOffset updatedAt) =>
        new(endpointId, events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), createdAt, updatedAt);

    public bool Wants(OutboxEvent e) => Wants(e.Type, e.At);

    /// <summary>Whether an event of <paramref name="type"/> written at <paramref name="at"/> goes to this endpoint.</summary>
    public bool Wants(string type, DateTimeOffset at) => CreatedAt <= at && Events.Contains(type, StringComparer.Ordinal);
}

/// <summary>A transaction's link to a Payments Orchestrator instruction, as a batch reads it: the
/// references its events carry, and how far the instruction has been told.</summary>
public sealed record LinkedInstruction(string TransactionId, InstructionLinkRefs Refs, string? LastStatus, long? LastVersion);

/// <summary>One delivery a batch queues: an event to an endpoint, due at once. Taken live by the lease
/// <paramref name="LeaseOwner"/> when this instance's dispatcher has room for it (<see cref="ILiveDeliveries"/>):
/// then the batch writes no row for it, only its share of a <see cref="LiveLeaseWrite"/>, and the row is
/// written once, settled, after the send. Otherwise written pending, for the claims.</summary>
public sealed record DeliveryWrite(string EventId, string EndpointId, string? LeaseOwner = null);

/// <summary>
/// A ledger batch's live deliveries to one endpoint, as one row: the lease (<paramref name="Owner"/>,
/// unique per batch and endpoint, until <paramref name="Until"/>) and the events it holds. While it
/// stands, the dispatcher that holds it sends those deliveries and writes each one's row once, in its
/// final state; the row goes when the last is recorded. A lease that runs out first (its instance died,
/// or could not record) is taken over: its deliveries not yet recorded are written pending, for the
/// claims, and the lease row goes. So a delivery is never without a row or a lease that stands for it.
/// </summary>
public sealed record LiveLeaseWrite(string Owner, string EndpointId, DateTimeOffset Until, IReadOnlyList<string> EventIds)
{
    /// <summary>How the event ids are stored in one column: separated by a space, which no event id holds
    /// (<see cref="CanHold"/>).</summary>
    public const char Separator = ' ';

    public string EventIdList => string.Join(Separator, EventIds);

    /// <summary>Whether an event id can be held in a lease row (it has no <see cref="Separator"/>); the
    /// ids Orian makes never do, and a delivery whose id did would be left for the claims.</summary>
    public static bool CanHold(string eventId) => eventId.Length > 0 && !eventId.Contains(Separator, StringComparison.Ordinal);

    /// <summary>The event ids of a stored <see cref="EventIdList"/>.</summary>
    public static string[] ParseEventIds(string list) => list.Split(Separator, StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>How far a linked instruction has been told, written back to its link by the batch.</summary>
public sealed record LinkProgressWrite(string TransactionId, string? LastStatus, long? LastVersion);

/// <summary>
/// The fan-out, done by the ledger batch that writes the events, in its own transaction: each event
/// about a linked transaction carries the link's references, a linked transaction's progress queues
/// the instruction update the rule calls for (an <c>instruction.updated</c> event for the Orchestrator),
/// and every event becomes one delivery per endpoint that wants it. Nothing is left for a later
/// round to find, and no lock is shared between batches: the subscriptions and links are read in the
/// batch's own locking read, under a lock that link writes take exclusively and batches share.
/// </summary>
public static class FanOut
{
    /// <summary>The destination id of the Payments Orchestrator (its instruction updates).</summary>
    public const string OrchestratorEndpointId = "orchestrator";

    public static void Apply(LedgerChanges changes, IReadOnlyList<Subscription> subscriptions, IReadOnlyDictionary<string, LinkedInstruction> links)
    {
        if (links.Count > 0)
        {
            ApplyLinks(changes, links);
        }

        if (subscriptions.Count == 0)
        {
            return;
        }

        changes.Subscriptions = subscriptions;

        foreach (var e in changes.Outbox)
        {
            foreach (var subscription in subscriptions)
            {
                if (subscription.Wants(e))
                {
                    changes.Deliveries.Add(new DeliveryWrite(e.EventId, subscription.EndpointId));
                }
            }
        }
    }

    private static void ApplyLinks(LedgerChanges changes, IReadOnlyDictionary<string, LinkedInstruction> links)
    {
        var progress = new Dictionary<string, LinkProgress>(StringComparer.Ordinal);
        var updates = new List<OutboxEvent>();
        for (var i = 0; i < changes.Outbox.Count; i++)
        {
            var e = changes.Outbox[i];
            if (e.TransactionId is not { } id || !links.TryGetValue(id, out var link) || e.Type == EventTypes.InstructionUpdated)
            {
                continue;
            }

            e = e with { Payload = OutboxPayload.WithLink(e.Type, e.Payload, link.Refs) };
            changes.Outbox[i] = e;
            if (e.Type != EventTypes.TransactionUpdated || e.Version is not { } version)
            {
                continue;
            }

            var seen = progress.GetValueOrDefault(id, new LinkProgress(link.LastStatus, link.LastVersion));
            var data = OutboxPayload.ReadTransactionUpdated(e.Payload);
            var (next, queue) = InstructionUpdateRule.Decide(seen, version, data.Status, data.Result);
            progress[id] = next;
            if (queue is null)
            {
                continue;
            }

            var change = new InstructionChange(id, version, link.Refs, queue, seen.LastStatus, data.Status, data.Result, data.AccountNo, data.Amount?.ToMoney(), e.At);
            // The id comes from the cause: an update this instruction was already sent (a link deleted
            // and written again) is not stored twice, nor delivered twice.
            var update = EventFactory.InstructionUpdated(change, changes.At) with { Subject = $"{link.Refs.OrderRef}/{link.Refs.InstructionRef}" };
            updates.Add(update);
            changes.Deliveries.Add(new DeliveryWrite(update.EventId, OrchestratorEndpointId));
        }

        changes.Outbox.AddRange(updates);
        foreach (var (id, next) in progress)
        {
            var link = links[id];
            if ((next.LastStatus, next.LastVersion) != (link.LastStatus, link.LastVersion))
            {
                changes.Links.Add(new LinkProgressWrite(id, next.LastStatus, next.LastVersion));
            }
        }
    }
}
