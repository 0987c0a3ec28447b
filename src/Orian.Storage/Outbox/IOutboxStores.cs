namespace Orian.Storage;

/// <summary>The outbox queue as the dispatcher works it: fan-out, claim, record.</summary>
public interface IOutboxQueue
{
    /// <summary>Turns up to <paramref name="limit"/> new events into one delivery per enabled endpoint
    /// subscribed to their type (endpoints get events from their creation on), and queues the
    /// instruction updates linked transactions call for. Returns events handled.</summary>
    Task<int> FanOutAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Leases up to <paramref name="limit"/> due deliveries to <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>; several dispatchers may claim at once without sharing a delivery.
    /// Deliveries to the Payments Orchestrator only when <paramref name="includeOrchestrator"/> (this
    /// instance is configured to reach it).</summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, bool includeOrchestrator, CancellationToken cancellationToken);

    /// <summary>Records attempts, in one transaction, for the deliveries <paramref name="owner"/> still
    /// holds; returns the ids of those recorded (a delivery whose lease another dispatcher took over is not).</summary>
    Task<IReadOnlyList<long>> RecordAttemptsAsync(string owner, IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken);

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

    /// <summary>Outbox events committed but not fanned out yet.</summary>
    Task<long> CountUnfannedAsync(CancellationToken cancellationToken);

    /// <summary>Puts dead deliveries (one, or all when <paramref name="id"/> is null) back to pending,
    /// due now, with a fresh retry schedule (not those of a deleted endpoint). The attempt log keeps
    /// every earlier attempt; the audit entry records what was re-driven.</summary>
    Task<int> RedriveAsync(long? id, OperatorContext who, CancellationToken cancellationToken);
}
