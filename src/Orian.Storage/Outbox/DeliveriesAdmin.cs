using Dapper;
using Orian.Delivery;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>Deliveries and their attempts as operators inspect them, and the re-drive of dead ones.</summary>
public sealed class DeliveriesAdmin(SqlDatabase database) : IDeliveryAdmin
{
    private const string SelectDelivery =
        $"SELECT {OutboxSql.DeliveryColumns} FROM webhook_deliveries d JOIN outbox_events ev ON ev.event_id = d.event_id WHERE d.id = @id";

    private const string SelectAttempts = "SELECT id, attempt, attempted_at, status_code, latency_ms, error FROM delivery_attempts WHERE delivery_id = @id ORDER BY id";

    private const string SelectStats = """
        SELECT e.id AS endpoint_id, e.kind AS endpoint_kind,
            sum(CASE WHEN d.state = 'pending' THEN 1 ELSE 0 END) AS pending,
            sum(CASE WHEN d.state = 'pending' AND d.lease_until >= @now THEN 1 ELSE 0 END) AS leased,
            sum(CASE WHEN d.state = 'dead' THEN 1 ELSE 0 END) AS dead,
            sum(CASE WHEN d.state = 'delivered' THEN 1 ELSE 0 END) AS delivered,
            min(CASE WHEN d.state = 'pending' THEN d.created_at END) AS oldest_pending_at
        FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        GROUP BY e.id, e.kind ORDER BY e.id
        """;

    /// <summary>The dead deliveries a re-drive takes: one (<c>@id</c>) or all (<c>@id</c> null), not those of a deleted endpoint.</summary>
    private const string Redriven =
        "state = 'dead' AND (@id IS NULL OR id = @id) AND endpoint_id IN (SELECT e.id FROM webhook_endpoints e WHERE e.deleted_at IS NULL)";

    private const string SelectRedriven = $"SELECT id, attempts FROM webhook_deliveries WHERE {Redriven} ORDER BY id";

    private const string Redrive =
        $"UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = @now, lease_owner = NULL, lease_until = NULL WHERE {Redriven}";

    private readonly OutboxSql _sql = new(database.Dialect);

    /// <summary>Each part is served by a partial or leading-state index: the unfanned events, and
    /// (state, id) for the pending and dead deliveries, each counted in key order up to <c>@upTo</c>
    /// entries (a count stops there: its cost is bounded, not the backlog's size); the oldest pending
    /// delivery is the first entry of the pending deliveries' age index; the live leases are
    /// read whole (a row per batch and endpoint in flight, a few dozen at most while the dispatcher
    /// keeps up).</summary>
    private readonly string _backlog = $"""
        SELECT
            (SELECT count(*) FROM (SELECT id FROM outbox_events WHERE fanned_out = {database.Dialect.False} ORDER BY id {database.Dialect.Page("@upTo")}) u) AS unfanned,
            (SELECT min(created_at) FROM outbox_events WHERE fanned_out = {database.Dialect.False}) AS oldest_unfanned_at,
            (SELECT count(*) FROM (SELECT id FROM webhook_deliveries WHERE state = 'pending' ORDER BY id {database.Dialect.Page("@upTo")}) p) AS pending,
            ({new OutboxSql(database.Dialect).OldestPending}) AS oldest_pending_at,
            (SELECT count(*) FROM (SELECT id FROM webhook_deliveries WHERE state = 'dead' ORDER BY id {database.Dialect.Page("@upTo")}) x) AS dead,
            (SELECT COALESCE(sum(deliveries), 0) FROM live_leases) AS live,
            (SELECT min(created_at) FROM live_leases) AS oldest_live_at
        """;

    private const string SelectLiveLeases = "SELECT endpoint_id, event_ids, created_at FROM live_leases WHERE lease_until >= @now";

    public async Task<IReadOnlyList<DeliveryRow>> ListDeliveriesAsync(string? state, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            _sql.ListDeliveries, new { state, afterId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<(DeliveryRow Delivery, IReadOnlyList<AttemptRow> Attempts)?> GetDeliveryAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var delivery = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            SelectDelivery,
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (delivery is null)
        {
            return null;
        }

        var attempts = (await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            SelectAttempts,
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        if (attempts.Count == 0 && delivery is { State: "delivered", Attempts: 1, DeliveredAt: { } at })
        {
            // A first attempt that delivered is recorded on its delivery alone (no attempt row): the
            // log shows it from there, without the latency, which only the metrics and traces keep.
            attempts.Add(new AttemptRow { Attempt = 1, AttemptedAt = at, StatusCode = delivery.LastStatus, LatencyMs = null });
        }

        return (delivery, attempts);
    }

    public async Task<IReadOnlyList<DeliveryStats>> GetStatsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var stats = (await connection.QueryAsync<DeliveryStats>(new CommandDefinition(SelectStats, new { now }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();

        // Deliveries taken live have no row until recorded: those the standing live leases hold and
        // nobody recorded yet are pending and leased, as a claimed one is.
        var leases = (await connection.QueryAsync<(string EndpointId, string EventIds, DateTimeOffset CreatedAt)>(new CommandDefinition(
            SelectLiveLeases, new { now }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        if (leases.Count == 0)
        {
            return stats;
        }

        var held = leases.SelectMany(l => LiveLeaseWrite.ParseEventIds(l.EventIds).Select(e => (EventId: e, l.EndpointId, l.CreatedAt))).ToList();
        var written = new HashSet<(string, string)>();
        foreach (var chunk in held.Select(h => h.EventId).Distinct(StringComparer.Ordinal).Chunk(OutboxQueue.LiveLookupsPerRead))
        {
            foreach (var row in await connection.QueryAsync<(long Id, string EventId, string EndpointId)>(new CommandDefinition(
                         _sql.DeliveriesOfEvents, database.Dialect.ListParameters("ids", chunk), cancellationToken: cancellationToken)).ConfigureAwait(false))
            {
                written.Add((row.EventId, row.EndpointId));
            }
        }

        foreach (var endpoint in held.Where(h => !written.Contains((h.EventId, h.EndpointId))).GroupBy(h => h.EndpointId, StringComparer.Ordinal))
        {
            var row = stats.Find(s => s.EndpointId == endpoint.Key);
            if (row is null)
            {
                // Nothing of this endpoint's has a row yet: its line goes in the endpoints' order.
                row = new DeliveryStats { EndpointId = endpoint.Key, EndpointKind = Destinations.Webhook };
                var at = stats.FindIndex(s => string.CompareOrdinal(s.EndpointId, endpoint.Key) > 0);
                stats.Insert(at < 0 ? stats.Count : at, row);
            }

            row.Pending += endpoint.Count();
            row.Leased += endpoint.Count();
            var oldest = endpoint.Min(h => h.CreatedAt);
            row.OldestPendingAt = row.OldestPendingAt is { } o && o <= oldest ? o : oldest;
        }

        return stats;
    }

    public async Task<OutboxBacklog> GetBacklogAsync(long countUpTo, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(countUpTo);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleAsync<OutboxBacklog>(new CommandDefinition(_backlog, new { upTo = countUpTo }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<int> RedriveAsync(long? id, OperatorContext who, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var before = (await connection.QueryAsync<(long Id, int Attempts)>(new CommandDefinition(
            SelectRedriven, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        var count = await connection.ExecuteAsync(new CommandDefinition(
            Redrive,
            new { id, now = who.At }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (count > 0)
        {
            await AuditTrail.AppendAsync(connection, transaction, who, "deliveries.redrive", id is { } one ? $"delivery:{one}" : "deliveries:dead",
                new { state = "dead", deliveries = before.Select(d => new { d.Id, d.Attempts }) }, new { state = "pending", count }, cancellationToken).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }
}
