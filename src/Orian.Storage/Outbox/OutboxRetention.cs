using Dapper;
using Orian.Delivery;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>
/// The outbox's history past its retention period, purged a page at a time, each page one short write
/// transaction of its own (on SQLite, one turn of the writer). What may go is
/// <see cref="OutboxHistory"/>'s call; this class holds the statements.
/// </summary>
public sealed class OutboxRetention(SqlDatabase database)
{
    private const string OldestLiveLease = "SELECT min(created_at) FROM live_leases";

    private readonly string _page =
        $"SELECT id, event_id, created_at, fanned_out FROM outbox_events WHERE id > @after ORDER BY id {database.Dialect.Page("@limit")}";

    /// <summary>The deliveries of the page's old events, locked in key order (a re-drive of one of
    /// them waits for the purge's commit, or the purge for the re-drive's, and then sees it pending).</summary>
    private readonly string _deliveriesOf =
        $"SELECT wd.id, wd.event_id, wd.state FROM webhook_deliveries wd {database.Dialect.LockHint} " +
        $"WHERE {database.Dialect.In("wd.event_id", "@ids")} ORDER BY wd.id{database.Dialect.LockClause("wd")}";

    private readonly string _deleteAttempts = $"DELETE FROM delivery_attempts WHERE {database.Dialect.In("delivery_id", "@ids")}";
    private readonly string _deleteDeliveries = $"DELETE FROM webhook_deliveries WHERE {database.Dialect.In("id", "@ids")}";
    private readonly string _deleteEvents = $"DELETE FROM outbox_events WHERE {database.Dialect.In("event_id", "@ids")}";

    /// <summary>Ids per statement: SQLite expands a list into one parameter per id.</summary>
    private const int IdsPerStatement = 1000;

    /// <summary>
    /// One page: reads up to <paramref name="limit"/> events after <paramref name="after"/> in id order
    /// and deletes, with their deliveries and attempt log, those <see cref="OutboxHistory.Purgeable"/>
    /// lets go (created <paramref name="retentionDays"/> before <paramref name="now"/>, and before the
    /// oldest live lease). Returns the events purged, the last id looked at (the next page's
    /// <paramref name="after"/>) and whether the purge is done (a newer event met, or the end).
    /// </summary>
    public async Task<(int Purged, long Reached, bool Done)> PurgePageAsync(
        DateTimeOffset now, int retentionDays, long after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var oldestLease = await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            OldestLiveLease, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var cutoff = OutboxHistory.Cutoff(now, retentionDays, oldestLease);
        var page = (await connection.QueryAsync<HistoryRow>(new CommandDefinition(
                _page, new { after, limit }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .Select(r => new HistoryEvent(r.Id, r.EventId, r.CreatedAt, r.FannedOut)).ToList();
        var due = OutboxHistory.Due(page, cutoff);
        var deliveries = new List<(long Id, string EventId, string State)>();
        foreach (var chunk in due.Select(e => e.EventId).Chunk(IdsPerStatement))
        {
            deliveries.AddRange(await connection.QueryAsync<(long Id, string EventId, string State)>(new CommandDefinition(
                _deliveriesOf, database.Dialect.ListParameters("ids", chunk), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
        }

        var purgeable = OutboxHistory.Purgeable(due, deliveries.ToLookup(d => d.EventId, d => d.State, StringComparer.Ordinal));
        var going = purgeable.ToHashSet(StringComparer.Ordinal);
        var deliveryIds = deliveries.Where(d => going.Contains(d.EventId)).Select(d => d.Id).ToArray();
        foreach (var chunk in deliveryIds.Chunk(IdsPerStatement))
        {
            var ids = database.Dialect.ListParameters("ids", chunk);
            await connection.ExecuteAsync(new CommandDefinition(_deleteAttempts, ids, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(_deleteDeliveries, ids, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var purged = 0;
        foreach (var chunk in purgeable.Chunk(IdsPerStatement))
        {
            purged += await connection.ExecuteAsync(new CommandDefinition(
                _deleteEvents, database.Dialect.ListParameters("ids", chunk), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (purged, due.Count > 0 ? due[^1].Id : after, due.Count < page.Count || page.Count < limit);
    }

    private sealed class HistoryRow
    {
        public long Id { get; set; }
        public string EventId { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public bool FannedOut { get; set; }
    }
}
