using System.Data.Common;
using Dapper;
using Orian.Delivery;
using Orian.Outbox;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>
/// The outbox queue: the fan-out turns committed events into deliveries (and instruction updates),
/// claims lease due deliveries to one dispatcher, and each attempt is recorded under its lease.
/// Claims take rows no other claimer holds (the dialect's claim hint or clause), so several
/// instances share the queue without sharing a delivery.
/// </summary>
public sealed class OutboxQueue(SqlDatabase database, ISecretProtector secrets) : IOutboxQueue
{
    private readonly OutboxSql _sql = new(database.Dialect);
    private readonly LinkUpdates _links = new(database.Dialect);

    public async Task<int> FanOutAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        // The ledger's batches fan their own events out and write them fanned out; what is left for
        // this round are instruction updates a link write queued, and events an older build wrote. A
        // read first, without the lock (which link writes share): nearly always there are none. Those
        // there are settled even with nowhere to go, so nothing waits in the outbox for good.
        if (!await ExistsAsync(_sql.AnyPending, new { }, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        await using var scope = await BeginRedoableAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        await _links.LockAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var events = (await connection.QueryAsync<PendingOutboxEvent>(new CommandDefinition(
            _sql.PendingEvents, new { limit }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        if (events.Count == 0)
        {
            return 0;
        }

        await _links.ApplyAsync(connection, transaction, events, now, cancellationToken).ConfigureAwait(false);
        var endpoints = (await connection.QueryAsync<(string Id, string Events, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)>(new CommandDefinition(
            OutboxSql.EnabledEndpoints, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .Select(e => Subscription.Of(e.Id, e.Events, e.CreatedAt, e.UpdatedAt));
        // One statement per endpoint for the whole batch, not one per delivery; who wants what is
        // the batch's own rule (Core's subscription), not the storage's.
        foreach (var endpoint in endpoints)
        {
            var ids = events.Where(e => endpoint.Wants(e.EventType, e.CreatedAt)).Select(e => e.EventId).ToArray();
            if (ids.Length > 0)
            {
                var parameters = database.Dialect.ListParameters("ids", ids);
                parameters.AddDynamicParams(new { endpointId = endpoint.EndpointId, at = now });
                await connection.ExecuteAsync(new CommandDefinition(_sql.InsertDeliveries, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
        }

        // One statement for the whole round, naming exactly the rows read (and locked) above: with
        // skip-locked claims another dispatcher may hold rows in between, which are not ours to mark.
        await connection.ExecuteAsync(new CommandDefinition(_sql.MarkFannedOut,
            database.Dialect.ListParameters("ids", events.Select(e => e.Id).ToArray()), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return events.Count;
    }

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimLimits limits, CancellationToken cancellationToken)
    {
        // Which endpoints have due work is read first, without the write lock (an index probe per
        // endpoint); then each endpoint's share is leased in one transaction. What an endpoint with
        // less due work than its share leaves goes to the others, in a further pass or two. Before
        // that, live leases that ran out are taken over (a probe of their index, nearly always
        // empty): what they hold and nobody recorded becomes due now, for this claim among others.
        IReadOnlyList<string> due;
        await using (var reader = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ExecuteScalarAsync<long?>(new CommandDefinition(_sql.AnyExpiredLiveLease, new { now }, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null)
            {
                await TakeOverLiveAsync(now, cancellationToken).ConfigureAwait(false);
            }

            due = (await reader.QueryAsync<string>(new CommandDefinition(
                _sql.DueEndpoints, new { now, orchestrator = limits.IncludeOrchestrator }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        }

        var shares = limits.Share(due);
        if (shares.Count == 0)
        {
            return [];
        }

        await using var scope = await BeginRedoableAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var claimed = 0;
        var busy = new Dictionary<string, int>(limits.Busy, StringComparer.Ordinal);
        for (var pass = 0; pass < 3 && shares.Count > 0; pass++)
        {
            var more = new List<string>();
            foreach (var (endpoint, take) in shares)
            {
                var got = await connection.ExecuteAsync(new CommandDefinition(
                    _sql.Claim, new { owner, leaseUntil, now, endpoint, limit = take, orchestrator = limits.IncludeOrchestrator }, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                claimed += got;
                busy[endpoint] = busy.GetValueOrDefault(endpoint) + got;
                if (got == take)
                {
                    more.Add(endpoint); // it may have more due
                }
            }

            shares = claimed < limits.Total ? (limits with { Total = limits.Total - claimed, Busy = busy }).Share(more) : [];
        }

        if (claimed == 0)
        {
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return [];
        }

        var rows = (await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition(
            _sql.ClaimedDetails, new { owner, leaseUntil }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            // Decrypted only here, for signing, and only in memory.
            row.Secret = row.Secret.Length == 0 ? row.Secret : secrets.Unprotect(row.Secret);
            row.PreviousSecret = row.PreviousSecret is { Length: > 0 } previous ? secrets.Unprotect(previous) : row.PreviousSecret;
        }

        return rows;
    }

    public async Task<IReadOnlyList<AttemptOutcome>> RecordAttemptsAsync(IReadOnlyList<(string Owner, AttemptOutcome Outcome)> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return [];
        }

        // One transaction for the lot: a commit (and its fsync) per attempt was what held the
        // dispatcher back. Live deliveries get their rows, claimed ones answered 2xx (nearly all the
        // rest) are recorded set-wise; the others (retries, dead letters, 410s, deliveries put back) a
        // few statements each.
        var recorded = new List<AttemptOutcome>(outcomes.Count);
        await using var scope = await BeginRedoableAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var live = outcomes.Where(a => a.Outcome.LiveEventId is not null).ToList();
        if (live.Count > 0)
        {
            recorded.AddRange(await RecordLiveAsync(scope, live, cancellationToken).ConfigureAwait(false));
        }

        var claimed = outcomes.Where(a => a.Outcome.LiveEventId is null).ToList();
        var delivered = claimed.Where(a => a.Outcome is { Delivered: true, Postponed: false, DisableEndpoint: false }).ToList();
        recorded.AddRange(await RecordDeliveredAsync(connection, transaction, delivered, cancellationToken).ConfigureAwait(false));
        foreach (var (owner, o) in claimed.Except(delivered))
        {
            var sql = o.Postponed ? OutboxSql.Postpone : o.Delivered ? OutboxSql.Delivered : o.NextAttemptAt is null ? OutboxSql.Dead : OutboxSql.Retry;
            var args = new { id = o.DeliveryId, owner, now = o.At, status = o.StatusCode, error = AttemptErrors.Bound(o.Error), next = o.NextAttemptAt, attempt = o.Attempt, latencyMs = o.LatencyMs };
            if (await connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) != 1)
            {
                continue; // the lease expired and another dispatcher took the delivery over
            }

            if (o.Postponed)
            {
                recorded.Add(o);
                continue; // not sent: nothing to log
            }

            await connection.ExecuteAsync(new CommandDefinition(OutboxSql.InsertAttempt, args, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (o.DisableEndpoint)
            {
                await DisableAsync(connection, transaction, o, cancellationToken).ConfigureAwait(false);
            }

            recorded.Add(o);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return recorded;
    }

    /// <summary>Attempts per multi-row insert: six parameters each keeps a statement far below
    /// every provider's parameter limit (SQL Server's 2,100 is the lowest).</summary>
    internal const int AttemptsPerInsert = 200;

    /// <summary>Event ids per live lookup: one parameter each, far below every provider's limit.</summary>
    internal const int LiveLookupsPerRead = 1000;

    /// <summary>Live leases one take-over transaction takes at most.</summary>
    internal const int TakeOversPerRound = 100;

    private const string RenewLease = "UPDATE webhook_deliveries SET lease_until = @leaseUntil WHERE id = @id AND lease_owner = @owner AND state = 'pending'";

    /// <summary>
    /// Records the outcomes of deliveries taken live, within the caller's transaction: each delivery's
    /// row is written now, once, in its final state (<see cref="LedgerWrites.Settled"/>, one statement for
    /// the lot; insert-if-absent, so a row a take-over of its lease wrote first stays, and the claims send
    /// it again). An attempt that did not deliver gets its row in the attempt log (by the row's id, read
    /// back), and a 410 retires its endpoint. The leases whose last delivery this records are deleted in
    /// the same transaction. Returns every outcome, the attempts that did not deliver with their row's id.
    /// </summary>
    private async Task<IReadOnlyList<AttemptOutcome>> RecordLiveAsync(
        WriteScope scope, IReadOnlyList<(string Owner, AttemptOutcome Outcome)> live, CancellationToken cancellationToken)
    {
        var (connection, transaction) = (scope.Connection, scope.Transaction);

        // The leases ending go first: a take-over that holds one (it ran out while this dispatcher was
        // stalled) makes this wait until it commits, before this holds any row it would wait for.
        var ending = live.Where(a => a.Outcome.EndsLiveLease).Select(a => a.Owner).Distinct(StringComparer.Ordinal).ToArray();
        if (ending.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                _sql.DeleteLiveLeases, database.Dialect.ListParameters("owners", ending), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var failed = live.Select(a => a.Outcome).Where(o => o is { Delivered: false }).ToList();
        // A retry or a delivery put back for an endpoint deleted meanwhile is dead, as deleting it made
        // every delivery it had waiting: nothing would ever claim it.
        var deleted = failed.Count == 0 ? [] : await DeletedEndpointsAsync(connection, transaction, failed.Select(o => o.EndpointId), cancellationToken).ConfigureAwait(false);
        var rows = InKeyOrder(live.Select(a => SettledOf(a.Outcome, deleted.Contains(a.Outcome.EndpointId))));
        await database.WriteRowsAsync(scope, live[0].Outcome.At, w => w.Write(LedgerWrites.Settled, rows), cancellationToken).ConfigureAwait(false);

        // Only an attempt made and not delivered needs its row's id (for the attempt log); a delivery
        // put back unsent (its endpoint's circuit opened) logs nothing.
        var recorded = live.Select(a => a.Outcome).Where(o => o.Delivered || o.Postponed).ToList();
        failed.RemoveAll(o => o.Postponed);
        if (failed.Count > 0)
        {
            var ids = new Dictionary<(string EventId, string EndpointId), long>();
            foreach (var chunk in failed.Select(o => o.LiveEventId!).Distinct(StringComparer.Ordinal).Chunk(LiveLookupsPerRead))
            {
                foreach (var row in await connection.QueryAsync<(long Id, string EventId, string EndpointId)>(new CommandDefinition(
                             _sql.DeliveriesOfEvents, database.Dialect.ListParameters("ids", chunk), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
                {
                    ids[(row.EventId, row.EndpointId)] = row.Id;
                }
            }

            var withIds = failed.Select(o => o with { DeliveryId = ids.GetValueOrDefault((o.LiveEventId!, o.EndpointId)) }).ToList();
            await InsertAttemptsAsync(connection, transaction, withIds.Where(o => o.DeliveryId != 0).ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var o in withIds.Where(o => o.DisableEndpoint))
            {
                await DisableAsync(connection, transaction, o, cancellationToken).ConfigureAwait(false);
            }

            recorded.AddRange(withIds);
        }

        return recorded;
    }

    /// <summary>Rows in the order of their unique key, the same for a record and a take-over, so two
    /// that write the same deliveries at once wait for each other in one order, never in a cycle.</summary>
    private static List<SettledDelivery> InKeyOrder(IEnumerable<SettledDelivery> rows) =>
        [.. rows.OrderBy(r => r.EventId, StringComparer.Ordinal).ThenBy(r => r.EndpointId, StringComparer.Ordinal)];

    /// <summary>A live delivery's row, as its outcome leaves it (the statements of a claimed one's
    /// <see cref="OutboxSql.Delivered"/>, <see cref="OutboxSql.Retry"/>, <see cref="OutboxSql.Postpone"/>
    /// and <see cref="OutboxSql.Dead"/>, as one row written once).</summary>
    private static SettledDelivery SettledOf(AttemptOutcome o, bool endpointDeleted)
    {
        var queued = o.QueuedAt ?? o.At;
        var error = AttemptErrors.Bound(o.Error);
        return o switch
        {
            { Delivered: true, Postponed: false } => new SettledDelivery(o.LiveEventId!, o.EndpointId, "delivered", o.Attempt, queued, queued, o.At, o.StatusCode),
            _ when endpointDeleted => new SettledDelivery(o.LiveEventId!, o.EndpointId, "dead", o.Attempt, o.At, queued, null, o.StatusCode, DeletedEndpointError),
            { Postponed: true } => new SettledDelivery(o.LiveEventId!, o.EndpointId, "pending", o.Attempt, o.NextAttemptAt ?? o.At, queued, null, null, error),
            { NextAttemptAt: { } next } => new SettledDelivery(o.LiveEventId!, o.EndpointId, "pending", o.Attempt, next, queued, null, o.StatusCode, error),
            _ => new SettledDelivery(o.LiveEventId!, o.EndpointId, "dead", o.Attempt, o.At, queued, null, o.StatusCode, error),
        };
    }

    /// <summary>The last error of a delivery dead-lettered because its endpoint was deleted.</summary>
    internal const string DeletedEndpointError = "endpoint deleted";

    private async Task<HashSet<string>> DeletedEndpointsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> endpointIds, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<string>(new CommandDefinition(_sql.DeletedEndpoints,
            database.Dialect.ListParameters("ids", endpointIds.Distinct(StringComparer.Ordinal).ToArray()), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
        .ToHashSet(StringComparer.Ordinal);

    private static Task DisableAsync(DbConnection connection, DbTransaction transaction, AttemptOutcome o, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(OutboxSql.DisableEndpoint,
            new { reason = "410 Gone from the endpoint", now = o.At, endpointId = o.EndpointId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Takes over the live leases that ran out by <paramref name="now"/> (their dispatcher died, or
    /// could neither record nor renew them), a round of at most <see cref="TakeOversPerRound"/>, locked
    /// and skipping any another claimer holds: each delivery they hold with no row yet is written
    /// pending, due now (dead for an endpoint deleted meanwhile), and the leases go. A delivery recorded
    /// already keeps its row; one whose record comes after this finds its row written and is sent again
    /// by the claims (at least once, under the same webhook-id).
    /// </summary>
    private async Task TakeOverLiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = await BeginRedoableAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var leases = (await connection.QueryAsync<(string Owner, string EndpointId, string EventIds, DateTimeOffset CreatedAt)>(new CommandDefinition(
            _sql.ExpiredLiveLeases, new { now, limit = TakeOversPerRound }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        if (leases.Count > 0)
        {
            var deleted = await DeletedEndpointsAsync(connection, transaction, leases.Select(l => l.EndpointId), cancellationToken).ConfigureAwait(false);
            var rows = InKeyOrder(leases.SelectMany(l => LiveLeaseWrite.ParseEventIds(l.EventIds).Select(eventId => deleted.Contains(l.EndpointId)
                ? new SettledDelivery(eventId, l.EndpointId, "dead", 0, now, l.CreatedAt, LastError: DeletedEndpointError)
                : new SettledDelivery(eventId, l.EndpointId, "pending", 0, now, l.CreatedAt))));
            await database.WriteRowsAsync(scope, now, w => w.Write(LedgerWrites.Settled, rows), cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                _sql.DeleteLiveLeases, database.Dialect.ListParameters("owners", leases.Select(l => l.Owner).ToArray()), transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records claimed deliveries' delivered attempts set-wise, within the caller's transaction: per
    /// claim, the deliveries it still holds are read and locked (<see cref="OutboxSql.HeldDeliveries"/>),
    /// then updated with one statement per status answered (the time delivered is the group's last
    /// attempt), and the attempt log gets multi-row inserts of the attempts after a first (a first
    /// attempt that delivered is all on its delivery's row). Returns the outcomes recorded.
    /// </summary>
    private async Task<IReadOnlyList<AttemptOutcome>> RecordDeliveredAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Owner, AttemptOutcome Outcome)> attempts, CancellationToken cancellationToken)
    {
        var mine = new List<AttemptOutcome>(attempts.Count);
        foreach (var claim in attempts.GroupBy(a => a.Owner, StringComparer.Ordinal))
        {
            var select = database.Dialect.ListParameters("ids", claim.Select(a => a.Outcome.DeliveryId).ToArray());
            select.Add("owner", claim.Key);
            var stillHeld = (await connection.QueryAsync<long>(new CommandDefinition(_sql.HeldDeliveries, select, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet();
            mine.AddRange(claim.Select(a => a.Outcome).Where(o => stillHeld.Contains(o.DeliveryId)));
        }

        // Held and locked by this transaction: updated by id, one statement per status answered.
        var recorded = new List<AttemptOutcome>(mine.Count);
        foreach (var group in mine.GroupBy(o => o.StatusCode))
        {
            var update = database.Dialect.ListParameters("ids", group.Select(o => o.DeliveryId).ToArray());
            update.AddDynamicParams(new { now = group.Max(o => o.At), status = group.Key });
            await connection.ExecuteAsync(new CommandDefinition(_sql.DeliveredMany, update, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            recorded.AddRange(group);
        }

        await InsertAttemptsAsync(connection, transaction, [.. recorded.Where(o => o.Attempt > 1)], cancellationToken).ConfigureAwait(false);
        return recorded;
    }

    /// <summary>Writes <paramref name="attempts"/> to the attempt log, in multi-row inserts.</summary>
    private static async Task InsertAttemptsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttemptOutcome> attempts, CancellationToken cancellationToken)
    {
        foreach (var chunk in attempts.Chunk(AttemptsPerInsert))
        {
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                var o = chunk[i];
                parameters.Add($"id{i}", o.DeliveryId);
                parameters.Add($"attempt{i}", o.Attempt);
                parameters.Add($"now{i}", o.At);
                parameters.Add($"status{i}", o.StatusCode);
                parameters.Add($"latencyMs{i}", o.LatencyMs);
                parameters.Add($"error{i}", AttemptErrors.Bound(o.Error));
            }

            await connection.ExecuteAsync(new CommandDefinition(OutboxSql.InsertAttempts(chunk.Length), parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<bool> RenewLiveLeaseAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var scope = await BeginRedoableAsync(cancellationToken).ConfigureAwait(false);
        var renewed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            OutboxSql.RenewLiveLease, new { owner, leaseUntil }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return renewed == 1;
    }

    public async Task<EndpointTarget?> GetTargetAsync(string endpointId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var target = await connection.QuerySingleOrDefaultAsync<EndpointTarget>(new CommandDefinition(
            OutboxSql.Target, new { id = endpointId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (target is not null)
        {
            // Decrypted only here, for signing, and only in memory.
            target.Secret = target.Secret.Length == 0 ? target.Secret : secrets.Unprotect(target.Secret);
            target.PreviousSecret = target.PreviousSecret is { Length: > 0 } previous ? secrets.Unprotect(previous) : target.PreviousSecret;
        }

        return target;
    }

    public async Task<IReadOnlyList<long>> RenewLeasesAsync(string owner, IReadOnlyList<long> deliveryIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var held = new List<long>(deliveryIds.Count);
        await using var scope = await BeginRedoableAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in deliveryIds)
        {
            if (await scope.Connection.ExecuteAsync(new CommandDefinition(
                    RenewLease,
                    new { id, owner, leaseUntil }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1)
            {
                held.Add(id);
            }
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return held;
    }

    /// <summary>A write transaction whose loss in a crash is harmless, because the dispatcher redoes
    /// it: fan-outs are idempotent, a claim lost is claimed again, an attempt record lost means the
    /// delivery is sent again under the same webhook-id. Where the provider allows, it commits
    /// without waiting for the disk (<see cref="SqlDialect.DeferredDurability"/>), which the ledger's
    /// own commits, on the same disk, no longer queue behind.</summary>
    private async Task<WriteScope> BeginRedoableAsync(CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        if (database.Dialect.DeferredDurability is { } statement)
        {
            try
            {
                await scope.Connection.ExecuteAsync(new CommandDefinition(statement, transaction: scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            catch
            {
                await scope.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return scope;
    }

    private async Task<bool> ExistsAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
    }
}
