using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>Outbox statements, in the SQL every provider reads alike or through its dialect.</summary>
internal sealed class OutboxSql(SqlDialect d)
{
    private static readonly (string, string)[] EventColumns =
        [("event_id", "@EventId"), ("event_type", "@Type"), ("transaction_id", "@TransactionId"), ("version", "@Version"), ("account_no", "@AccountNo"),
         ("payload", "@Payload"), ("created_at", "@At"), ("trace_parent", "@TraceParent")];

    /// <summary>An outbox event (parameters: an <see cref="Orian.Outbox.OutboxEvent"/>).</summary>
    public string InsertEvent { get; } = d.InsertIfAbsent("outbox_events", EventColumns, "event_id");

    /// <summary>An instruction update: an event with its subject (the instruction it is about).</summary>
    public string InsertSubjectEvent { get; } = d.InsertIfAbsent("outbox_events", [.. EventColumns, ("subject", "@Subject")], "event_id");

    public string PendingEvents { get; } =
        $"SELECT id, event_id, event_type, transaction_id, version, payload, created_at FROM outbox_events {d.ClaimHint} " +
        $"WHERE fanned_out = {d.False} ORDER BY id {d.Page("@limit")}{d.ClaimClause("outbox_events")}";

    public string MarkFannedOut { get; } = $"UPDATE outbox_events SET fanned_out = {d.True} WHERE {d.In("id", "@ids")}";

    /// <summary>A row when an event waits for the fan-out loop (the partial index of those is empty
    /// but for instruction updates a link write queued and what an older build wrote). Written as the
    /// first row in the index's order: an <c>EXISTS</c> was planned as a sequential scan of the whole
    /// outbox (statistics from when every event waited), 78 ms a call under load.</summary>
    public string AnyPending { get; } = $"SELECT id FROM outbox_events WHERE fanned_out = {d.False} ORDER BY id {d.Page("1")}";

    public const string EnabledEndpoints = "SELECT id, events, created_at, updated_at FROM webhook_endpoints WHERE status = 'enabled' AND kind = 'webhook' AND deleted_at IS NULL";

    /// <summary>One endpoint's deliveries of a fan-out's events (<c>@ids</c>), in one statement. Fan-outs
    /// and link writes hold one lock, so nothing else inserts deliveries meanwhile.</summary>
    public string InsertDeliveries { get; } = $"""
        INSERT INTO webhook_deliveries (event_id, endpoint_id, state, attempts, next_attempt_at, created_at)
        SELECT ev.event_id, @endpointId, 'pending', 0, @at, @at FROM outbox_events ev
        WHERE {d.In("ev.event_id", "@ids")}
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries x WHERE x.event_id = ev.event_id AND x.endpoint_id = @endpointId)
        """;

    public string InsertDelivery { get; } = d.InsertIfAbsent("webhook_deliveries",
        [("event_id", "@EventId"), ("endpoint_id", "@EndpointId"), ("state", "'pending'"), ("attempts", "0"), ("next_attempt_at", "@At"), ("created_at", "@At")],
        "event_id", "endpoint_id");

    /// <summary>The endpoints with a due delivery no dispatcher holds, the one whose oldest such
    /// delivery has waited longest first (an index probe per endpoint, whatever the backlog).</summary>
    public string DueEndpoints { get; } = $"""
        SELECT id FROM (
            SELECT e.id, (SELECT w.next_attempt_at FROM webhook_deliveries w
                          WHERE w.endpoint_id = e.id AND w.state = 'pending' AND w.next_attempt_at <= @now AND (w.lease_until IS NULL OR w.lease_until < @now)
                          ORDER BY w.next_attempt_at {d.Page("1")}) AS oldest
            FROM webhook_endpoints e
            WHERE e.status = 'enabled' AND (e.kind = 'webhook' OR @orchestrator = {d.True})) due
        WHERE oldest IS NOT NULL ORDER BY oldest, id
        """;

    /// <summary>Leases one endpoint's due deliveries: the claim takes the rows no other claimer holds. An
    /// Orchestrator delivery is claimed only while no other delivery of the same instruction (its
    /// subject) is leased, and only the oldest due one of that instruction, so across every instance
    /// at most one update per instruction is in flight; it carries the newest status
    /// (<see cref="ClaimedDetails"/>), so an instruction never moves backwards.</summary>
    public string Claim { get; } = $"""
        UPDATE webhook_deliveries SET lease_owner = @owner, lease_until = @leaseUntil WHERE id IN (
            SELECT wd.id FROM webhook_deliveries wd {d.ClaimHint} JOIN webhook_endpoints e ON e.id = wd.endpoint_id
            WHERE wd.endpoint_id = @endpoint AND wd.state = 'pending' AND wd.next_attempt_at <= @now AND (wd.lease_until IS NULL OR wd.lease_until < @now)
                AND e.status = 'enabled'
                AND (e.kind = 'webhook' OR (@orchestrator = {d.True}
                    AND NOT EXISTS (
                        SELECT 1 FROM webhook_deliveries o JOIN outbox_events oe ON oe.event_id = o.event_id
                        WHERE o.endpoint_id = wd.endpoint_id AND o.id <> wd.id AND o.state = 'pending' AND o.lease_until >= @now
                            AND oe.subject = (SELECT me.subject FROM outbox_events me WHERE me.event_id = wd.event_id))
                    AND wd.id = (
                        SELECT min(o.id) FROM webhook_deliveries o JOIN outbox_events oe ON oe.event_id = o.event_id
                        WHERE o.endpoint_id = wd.endpoint_id AND o.state = 'pending' AND o.next_attempt_at <= @now
                            AND (o.lease_until IS NULL OR o.lease_until < @now)
                            AND oe.subject = (SELECT me.subject FROM outbox_events me WHERE me.event_id = wd.event_id))))
            ORDER BY wd.next_attempt_at, wd.id {d.Page("@limit")}{d.ClaimClause("wd")})
        """;

    public string ClaimedDetails { get; } = $"""
        SELECT d.id, d.attempts, d.event_id, ev.event_type,
            CASE WHEN e.kind = 'orchestrator' THEN COALESCE((
                SELECT newest.payload FROM outbox_events newest
                WHERE newest.transaction_id = ev.transaction_id AND newest.event_type = ev.event_type AND newest.subject = ev.subject
                ORDER BY newest.version DESC, newest.id DESC {d.Page("1")}), ev.payload)
            ELSE ev.payload END AS payload,
            e.id AS endpoint_id, e.kind AS endpoint_kind, e.url, e.secret, e.previous_secret, e.previous_secret_expires_at,
            ev.transaction_id, ev.created_at AS event_created_at, ev.trace_parent
        FROM webhook_deliveries d
        JOIN outbox_events ev ON ev.event_id = d.event_id
        JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.lease_owner = @owner AND d.state = 'pending'
        ORDER BY d.next_attempt_at, d.id
        """;

    /// <summary>Of <c>@ids</c>, the deliveries <c>@owner</c> still holds, locked until the transaction
    /// ends. A row another transaction holds is waited for, never skipped: a claim passing over it
    /// may hold it for a moment, and a record that skipped it would leave its own delivery unrecorded
    /// under its lease (sent, and sent again only once the lease ran out); one that another claimer
    /// took over is no longer <c>@owner</c>'s once the wait ends, and is not returned.</summary>
    public string HeldDeliveries { get; } =
        $"SELECT wd.id FROM webhook_deliveries wd {d.LockHint} WHERE {d.In("wd.id", "@ids")} AND wd.lease_owner = @owner AND wd.state = 'pending'{d.LockClause("wd")}";

    /// <summary>When the oldest pending delivery was queued: the first entry of the pending deliveries'
    /// age index, one probe however many wait.</summary>
    public string OldestPending { get; } = $"SELECT created_at FROM webhook_deliveries WHERE state = 'pending' ORDER BY created_at {d.Page("1")}";

    /// <summary>A row when a live lease ran out by <c>@now</c> (the first in its index's order): the
    /// claims' probe before a take-over, nearly always empty.</summary>
    public string AnyExpiredLiveLease { get; } = $"SELECT deliveries FROM live_leases WHERE lease_until < @now ORDER BY lease_until {d.Page("1")}";

    /// <summary>Live leases that ran out by <c>@now</c>, oldest first, at most <c>@limit</c>, locked until
    /// the transaction ends; a lease another claimer is taking over is skipped.</summary>
    public string ExpiredLiveLeases { get; } =
        $"SELECT l.owner, l.endpoint_id, l.event_ids, l.created_at FROM live_leases l {d.ClaimHint} WHERE l.lease_until < @now " +
        $"ORDER BY l.lease_until {d.Page("@limit")}{d.ClaimClause("l")}";

    /// <summary>The live leases <c>@owners</c> go: their deliveries all have rows.</summary>
    public string DeleteLiveLeases { get; } = $"DELETE FROM live_leases WHERE {d.In("owner", "@owners")}";

    /// <summary>Extends a live lease, found by its owner.</summary>
    public const string RenewLiveLease = "UPDATE live_leases SET lease_until = @leaseUntil WHERE owner = @owner";

    /// <summary>The deliveries of the events <c>@ids</c>, with their ids (by the unique key's first column).</summary>
    public string DeliveriesOfEvents { get; } = $"SELECT id, event_id, endpoint_id FROM webhook_deliveries WHERE {d.In("event_id", "@ids")}";

    /// <summary>Of the endpoints <c>@ids</c>, those deleted.</summary>
    public string DeletedEndpoints { get; } = $"SELECT id FROM webhook_endpoints WHERE deleted_at IS NOT NULL AND {d.In("id", "@ids")}";

    /// <summary>An enabled endpoint's address and secrets (encrypted): what the live path sends with.</summary>
    public const string Target =
        "SELECT id, url, secret, previous_secret, previous_secret_expires_at, updated_at FROM webhook_endpoints WHERE id = @id AND status = 'enabled' AND deleted_at IS NULL";

    /// <summary>Many deliveries delivered with one status: those <see cref="HeldDeliveries"/> found
    /// held and locked in the same transaction, so by id alone
    /// (a test of state or owner here let PostgreSQL choose a partial index full of dead entries).</summary>
    public string DeliveredMany { get; } = $"""
        UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = @now, last_status = @status, last_error = NULL,
            lease_owner = NULL, lease_until = NULL
        WHERE {d.In("id", "@ids")}
        """;

    /// <summary>A multi-row insert of <paramref name="rows"/> attempts (parameters <c>@id0</c>,
    /// <c>@attempt0</c>, ... as <see cref="InsertAttempt"/> names them, numbered by row).</summary>
    public static string InsertAttempts(int rows) =>
        "INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, error) VALUES " +
        string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(@id{i}, @attempt{i}, @now{i}, @status{i}, @latencyMs{i}, @error{i})"));

    public const string Delivered = """
        UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = @now, last_status = @status, last_error = NULL,
            lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND lease_owner = @owner
        """;

    public const string Retry = """
        UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = @next, last_status = @status, last_error = @error,
            lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND lease_owner = @owner
        """;

    /// <summary>Puts a claimed delivery back unsent (its endpoint's circuit opened meanwhile): no
    /// attempt is counted, and it is due again at <c>@next</c>.</summary>
    public const string Postpone = """
        UPDATE webhook_deliveries SET next_attempt_at = @next, last_error = @error, lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND lease_owner = @owner AND state = 'pending'
        """;

    public const string Dead = """
        UPDATE webhook_deliveries SET state = 'dead', attempts = attempts + 1, last_status = @status, last_error = @error,
            lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND lease_owner = @owner
        """;

    public const string InsertAttempt = """
        INSERT INTO delivery_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, error)
        VALUES (@id, @attempt, @now, @status, @latencyMs, @error)
        """;

    public const string DisableEndpoint = """
        UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = @reason, updated_at = @now WHERE id = @endpointId
        """;

    public const string EndpointColumns =
        "id, url, events, description, secret, previous_secret, previous_secret_expires_at, status, disabled_reason, created_at, updated_at";

    public const string DeliveryColumns =
        "d.id, d.event_id, ev.event_type, d.endpoint_id, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at";

    public string ListDeliveries { get; } =
        $"SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN outbox_events ev ON ev.event_id = d.event_id " +
        $"WHERE (@state IS NULL OR d.state = @state) AND d.id > @afterId ORDER BY d.id {d.Page("@limit")}";
}
