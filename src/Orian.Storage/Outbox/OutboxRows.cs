namespace Orian.Storage;

// Rows of the outbox tables, as Dapper reads them.

/// <summary>A tenant's webhook endpoint.</summary>
public sealed class WebhookEndpointRow
{
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";
    public string Events { get; set; } = "";
    public string? Description { get; set; }
    public string Secret { get; set; } = "";
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public string Status { get; set; } = "enabled";
    public string? DisabledReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>What the audit trail keeps of an endpoint: never a secret.</summary>
    internal object Snapshot() => new { Id, Url = Orian.Outbox.WebhookUrl.WithoutUserInfo(Url), Events = EventList, Description, Status, DisabledReason, CreatedAt };
}

/// <summary>One event on its way to one endpoint.</summary>
public sealed class DeliveryRow
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string EndpointId { get; set; } = "";
    public string State { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>One try at sending a delivery.</summary>
public sealed class AttemptRow
{
    public long Id { get; set; }
    public int Attempt { get; set; }
    public DateTimeOffset AttemptedAt { get; set; }
    public int? StatusCode { get; set; }

    /// <summary>Null for a first attempt that delivered: it is recorded on its delivery alone.</summary>
    public double? LatencyMs { get; set; }
    public string? Error { get; set; }
}

/// <summary>A delivery this dispatcher holds the lease of, with what it needs to send it.</summary>
public sealed class ClaimedDelivery
{
    public long Id { get; set; }
    public int Attempts { get; set; }
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string Payload { get; set; } = "";
    public string EndpointId { get; set; } = "";

    /// <summary><c>webhook</c>, or <c>orchestrator</c> for an instruction update to the Payments Orchestrator.</summary>
    public string EndpointKind { get; set; } = Orian.Delivery.Destinations.Webhook;
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>The transaction the event is about, if any (for the delivery span).</summary>
    public string? TransactionId { get; set; }

    /// <summary>When the ledger commit wrote the event: the start of the delivery lag.</summary>
    public DateTimeOffset EventCreatedAt { get; set; }

    /// <summary>The W3C trace context of the request that caused the event, if it was traced.</summary>
    public string? TraceParent { get; set; }

    /// <summary>Taken live: handed over by the ledger batch that wrote it, never claimed (its
    /// <see cref="Id"/> is 0; it is recorded by its event and endpoint).</summary>
    public bool Live { get; set; }
}

/// <summary>What happened when a delivery was tried, and what to do next.</summary>
/// <param name="DeliveryId">The delivery's row; 0 for a delivery taken live, whose row id the
/// dispatcher never read (it is recorded by <paramref name="LiveEventId"/> and its endpoint).</param>
/// <param name="NextAttemptAt">When to try again; null: delivered (<paramref name="Delivered"/>) or dead.</param>
/// <param name="DisableEndpoint">The endpoint answered 410 Gone: stop sending to it.</param>
/// <param name="Postponed">Not sent at all (the endpoint's circuit opened after the claim): due again
/// at <paramref name="NextAttemptAt"/>, no attempt counted or logged.</param>
/// <param name="LiveEventId">The event of a delivery taken live (see <paramref name="DeliveryId"/>).</param>
/// <param name="QueuedAt">A live delivery's queuing time (its batch's), which its row, written only now,
/// keeps as when it was created.</param>
/// <param name="EndsLiveLease">The record of this outcome ends its live lease (the owner's lease row):
/// every other delivery the lease held is recorded already, or in the same transaction.</param>
public sealed record AttemptOutcome(
    long DeliveryId, string EndpointId, int Attempt, DateTimeOffset At, int? StatusCode, double LatencyMs, string? Error,
    bool Delivered, DateTimeOffset? NextAttemptAt, bool DisableEndpoint, bool Postponed = false, string? LiveEventId = null,
    DateTimeOffset? QueuedAt = null, bool EndsLiveLease = false);

/// <summary>Where and how an endpoint's deliveries are sent (secrets decrypted, in memory only): what
/// the live path holds per endpoint, current while <see cref="UpdatedAt"/> matches the endpoint's.</summary>
public sealed class EndpointTarget
{
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The deliveries of one destination by state.</summary>
public sealed class DeliveryStats
{
    public string EndpointId { get; set; } = "";
    public string EndpointKind { get; set; } = "";
    public long Pending { get; set; }

    /// <summary>Pending deliveries a dispatcher holds a lease on now (claimed, or taken live and not
    /// yet recorded: those count as pending too).</summary>
    public long Leased { get; set; }
    public long Dead { get; set; }
    public long Delivered { get; set; }
    public DateTimeOffset? OldestPendingAt { get; set; }
}

/// <summary>The outbox as a whole: events not fanned out, deliveries waiting and dead, and the
/// oldest of what waits (an unfanned event or a pending delivery).</summary>
public sealed class OutboxBacklog
{
    public long Unfanned { get; set; }
    public DateTimeOffset? OldestUnfannedAt { get; set; }
    public long Pending { get; set; }
    public DateTimeOffset? OldestPendingAt { get; set; }
    public long Dead { get; set; }

    /// <summary>Deliveries held by live leases: taken from memory by a batch, and not all recorded
    /// (a lease counts every delivery it took until its last is recorded).</summary>
    public long Live { get; set; }

    /// <summary>When the oldest live lease was written (its batch's time).</summary>
    public DateTimeOffset? OldestLiveAt { get; set; }
}
