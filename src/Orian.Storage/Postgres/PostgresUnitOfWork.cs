using Dapper;
using Npgsql;
using Orian.Authorisation;
using Orian.Ledger;

namespace Orian.Storage.Postgres;

/// <summary>
/// One PostgreSQL transaction for one batch, in three round trips: one multi-statement query that
/// locks and reads every row the batch needs, one <see cref="NpgsqlBatch"/> with every write (each a
/// set-based statement over arrays), and the commit. Every conditional write is checked by its own
/// row count. Round trips are what a batch costs here: on a busy two-core machine each one also pays
/// for waking the threads that send and receive it.
/// </summary>
internal sealed class PostgresUnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction) : SqlUnitOfWork(connection, transaction)
{
    /// <summary>
    /// How the batch's statements are planned, for its transaction only (sent with the locking read,
    /// in the same round trip). Each is a lookup or a join by key, whose right plan is always the same:
    /// index probes in a nested loop. So each is planned once per connection (a generic plan) instead
    /// of at every run (the custom plans the connection otherwise forces took 3.3 s of a load run's
    /// 18.6 s in the database), and the planner is kept from the sequential scans and hash joins a
    /// generic plan made while the tables were small would keep for good (measured: a generic plan
    /// without these settings made the run collapse to 1,383 events/s, 1,275 us per event). The JIT is
    /// off too: a scan the planner is kept from is costed beyond the JIT's thresholds, and one such
    /// (the endpoints' handful of rows, read whole) was compiled at every run, about 200 ms each.
    /// </summary>
    internal const string PlanSettings =
        "SET LOCAL plan_cache_mode = force_generic_plan; SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; " +
        "SET LOCAL jit = off;\n";

    /// <summary>The batch's transactions, then its accounts and every account a stored transaction
    /// of the batch touches (its effect's account and a transfer's payee). The accounts are one
    /// array, so the lookup is an index scan of the key: written as <c>= ANY(@accounts) OR IN
    /// (subquery)</c> it was a sequential scan of every account, the largest statement under load
    /// (0.91 ms a batch at 4,000 accounts, growing with them).</summary>
    internal static readonly string LockSql = $"""
        SELECT count(pg_advisory_xact_lock_shared({PostgresDialect.LinkLockClass}, hashtext(id))) FROM unnest(@ids::text[]) AS id;
        SELECT {TransactionRow.Columns} FROM transactions WHERE id = ANY(@ids) ORDER BY id FOR UPDATE;
        SELECT account_no, currency, exponent, posted, held FROM accounts
        WHERE account_no = ANY(@accounts || ARRAY(
            SELECT unnest(ARRAY[effect_account, CASE WHEN effect_counter_is_account THEN effect_counter END]) FROM transactions WHERE id = ANY(@ids)))
        ORDER BY account_no FOR UPDATE;
        """;

    /// <summary>The fan-out's read, after the batch's shared lock on each of its transaction ids (the
    /// first statement of <see cref="LockSql"/>), which a link write takes exclusively: the links read
    /// here stay as they are until the batch commits.</summary>
    internal static readonly string FanOutReadSql = $"""
        {SubscriptionsRead};
        SELECT {InstructionLinkRow.Columns} FROM instruction_links WHERE transaction_id = ANY(@ids);
        """;

    /// <summary>The controls, and what each account with a daily limit has spent today as it stands:
    /// the debit effects (holds, and postings that take money out) of its transactions first seen
    /// since <c>@day</c>. A cancelled, expired or declined authorisation has no effect left and counts
    /// nothing; a clearing below its authorisation counts what was cleared. The sum reads every such
    /// transaction of the day, which on a busy account is thousands of rows per decision, so it is
    /// read only where a daily limit will use it (the array is evaluated once, before the scan). The
    /// filter matches the partial index <c>ix_transactions_effect_account_created</c>; the SQLite and
    /// SQL Server stores run the same rule.</summary>
    internal const string AuthorisationReadSql = $"""
        SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no = ANY(@accounts);
        SELECT effect_account, sum(effect_held + CASE WHEN effect_posted < 0 THEN -effect_posted ELSE 0 END)::bigint FROM transactions
        WHERE effect_account = ANY(ARRAY(SELECT account_no FROM account_controls WHERE account_no = ANY(@accounts) AND daily_spend_limit IS NOT NULL))
          AND created_at >= @day AND (effect_held <> 0 OR effect_posted <> 0) GROUP BY effect_account;
        """;

    public override async Task<LockedRows> LockAsync(
        IReadOnlyList<string> transactionIds, IReadOnlyList<string> accountNos, DateTimeOffset? authorisationDay, CancellationToken cancellationToken)
    {
        var sql = authorisationDay is null ? PlanSettings + LockSql + FanOutReadSql : PlanSettings + LockSql + AuthorisationReadSql + FanOutReadSql;
        var parameters = new { ids = transactionIds.ToArray(), accounts = accountNos.ToArray(), day = authorisationDay ?? default };
        await using var reader = await connection.QueryMultipleAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await reader.ReadAsync<long>().ConfigureAwait(false); // the link locks taken
        return await ReadLockedAsync(reader, authorisationDay is not null).ConfigureAwait(false);
    }

    /// <summary>All writes in one round trip. Dapper has no batch API, so this one method builds
    /// Npgsql's <see cref="NpgsqlBatch"/> itself: each statement keeps its own row count.</summary>
    public override async Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken)
    {
        var writes = new PostgresWrites(changes.At.UtcDateTime);
        LedgerWrites.Each(changes, writes);
        if (writes.Count == 0)
        {
            return;
        }

        await using var batch = writes.ToBatch(connection, transaction);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        writes.VerifyRowCounts(batch);
    }

    /// <summary>Never cancelled, and a commit only on the primary is not a commit (<see cref="PostgresCommit"/>).</summary>
    public override Task CommitAsync(CancellationToken cancellationToken) => PostgresCommit.CommitAsync(connection, transaction);

    public override async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync().ConfigureAwait(false); // rolls back if not committed
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
