using Orian.Delivery;

namespace Orian.Storage;

/// <summary>The outbox queue as the dispatcher works it: fan-out, claim, record.</summary>
public interface IOutboxQueue
{
    /// <summary>Turns up to <paramref name="limit"/> new events into one delivery per enabled endpoint
    /// subscribed to their type (endpoints get events from their creation on), and queues the
    /// instruction updates linked transactions call for. Returns events handled.</summary>
    Task<int> FanOutAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Leases due deliveries to <paramref name="owner"/> until <paramref name="leaseUntil"/>,
    /// endpoint by endpoint within <paramref name="limits"/> (the endpoint waiting longest first, each
    /// a fair share), so a backlog for one endpoint never starves another. Several dispatchers may
    /// claim at once without sharing a delivery. First, live leases that ran out by <paramref name="now"/>
    /// are taken over: their deliveries with no row yet are written pending, and the leases go.</summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimLimits limits, CancellationToken cancellationToken);

    /// <summary>Records attempts made under several leases (each outcome with its lease's owner
    /// token), in one transaction, for the deliveries each owner still holds; returns those recorded,
    /// with their delivery ids (a claimed delivery whose lease another dispatcher took over is not). A
    /// delivery taken live gets its row now, once, in its final state, unless a take-over of its lease
    /// wrote it first (then the claims send it again). A first attempt that delivered is recorded on
    /// its delivery alone, with no row in the attempt log.</summary>
    Task<IReadOnlyList<AttemptOutcome>> RecordAttemptsAsync(IReadOnlyList<(string Owner, AttemptOutcome Outcome)> attempts, CancellationToken cancellationToken);

    /// <summary>Extends the live lease <paramref name="owner"/> (a ledger batch's deliveries to one
    /// endpoint); false when it is gone (taken over, or every delivery it held recorded).</summary>
    Task<bool> RenewLiveLeaseAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Where an enabled endpoint's deliveries go, with its secrets decrypted; null when it is
    /// disabled or deleted.</summary>
    Task<EndpointTarget?> GetTargetAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Extends the leases <paramref name="owner"/> still holds on <paramref name="deliveryIds"/>
    /// to <paramref name="leaseUntil"/>; returns the ids still held (only those may be sent).</summary>
    Task<IReadOnlyList<long>> RenewLeasesAsync(string owner, IReadOnlyList<long> deliveryIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken);
}

/// <summary>Tenants' webhook endpoints.</summary>
public interface IWebhookEndpointStore
{
    /// <summary>Stores a new endpoint, its secret encrypted, with its audit entry.</summary>
    Task CreateEndpointAsync(WebhookEndpointRow endpoint, OperatorContext who, CancellationToken cancellationToken);

    /// <summary>An endpoint that is not deleted, without its secrets.</summary>
    Task<WebhookEndpointRow?> GetEndpointAsync(string id, CancellationToken cancellationToken);
    Task<IReadOnlyList<WebhookEndpointRow>> ListEndpointsAsync(CancellationToken cancellationToken);
    /// <summary>Soft-deletes an endpoint (disabled, marked deleted, its pending deliveries dead-lettered).</summary>
    Task<bool> DeleteEndpointAsync(string id, OperatorContext who, CancellationToken cancellationToken);

    /// <summary>Replaces the secret; the old one keeps signing until <paramref name="previousExpiresAt"/>.</summary>
    Task<bool> RotateSecretAsync(string id, string newSecret, DateTimeOffset previousExpiresAt, OperatorContext who, CancellationToken cancellationToken);
}

/// <summary>Deliveries as operators inspect and re-drive them.</summary>
public interface IDeliveryAdmin
{
    Task<IReadOnlyList<DeliveryRow>> ListDeliveriesAsync(string? state, long afterId, int limit, CancellationToken cancellationToken);
    Task<(DeliveryRow Delivery, IReadOnlyList<AttemptRow> Attempts)?> GetDeliveryAsync(long id, CancellationToken cancellationToken);

    /// <summary>The backlog: pending, leased, dead and the oldest pending delivery, per destination.</summary>
    Task<IReadOnlyList<DeliveryStats>> GetStatsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The whole backlog in a few index reads (no scan of delivered history), each count
    /// stopping at <paramref name="countUpTo"/> (<see cref="Backlog.CountedUpTo"/> for what is read
    /// every interval, whose cost then stays the same however much waits; <see cref="Backlog.Exact"/>
    /// to count it all).</summary>
    Task<OutboxBacklog> GetBacklogAsync(long countUpTo, CancellationToken cancellationToken);

    /// <summary>Puts dead deliveries (one, or all when <paramref name="id"/> is null) back to pending,
    /// due now, with a fresh retry schedule (not those of a deleted endpoint). The attempt log keeps
    /// every earlier attempt; the audit entry records what was re-driven.</summary>
    Task<int> RedriveAsync(long? id, OperatorContext who, CancellationToken cancellationToken);
}

public static class OutboxQueueExtensions
{
    /// <summary>Records attempts made under one claim (<paramref name="owner"/>); see
    /// <see cref="IOutboxQueue.RecordAttemptsAsync(IReadOnlyList{ValueTuple{string, AttemptOutcome}}, CancellationToken)"/>.</summary>
    public static Task<IReadOnlyList<AttemptOutcome>> RecordAttemptsAsync(this IOutboxQueue queue, string owner, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken) =>
        queue.RecordAttemptsAsync([.. outcomes.Select(o => (owner, o))], cancellationToken);
}
