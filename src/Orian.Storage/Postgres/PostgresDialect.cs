using Orian.Storage.Sql;

namespace Orian.Storage.Postgres;

/// <summary>PostgreSQL's SQL: array parameters (<c>= ANY(@ids)</c>), <c>FOR UPDATE ... SKIP LOCKED</c>
/// claims, and transaction-scoped advisory locks.</summary>
public sealed class PostgresDialect : OnConflictDialect
{
    /// <summary>A write, so the transaction's commit waits for a synchronous standby like any write
    /// (<see cref="PostgresCommit"/>); an id alone (<c>txid_current()</c>) is not enough: a transaction
    /// that wrote nothing to the log does not wait for the standby (schema 018).</summary>
    public override string? ConfirmsReplication => "UPDATE replication_confirmations SET confirmed = confirmed + 1 WHERE id = 1";

    /// <summary>The advisory lock keys, fixed so that instances of different builds sharing one
    /// database take the same lock.</summary>
    private static readonly Dictionary<string, long> LockKeys = new(StringComparer.Ordinal)
    {
        ["orian-links"] = 0x4f5249414e4c4b, // "ORIANLK": link writes and outbox fan-outs
    };

    /// <summary>The class of the per-transaction advisory locks (their two-key form, a space apart
    /// from the one-key locks above): "ORLK".</summary>
    internal const int LinkLockClass = 0x4f524c4b;

    /// <summary>Exclusive, against the shared lock every batch takes on each of its transaction ids
    /// (<see cref="PostgresUnitOfWork"/>): a row lock would not do, the transaction may not be stored
    /// yet. Ids are hashed into the lock's key; two ids sharing a hash only wait for each other.</summary>
    public override string? LinkTransactionLock => $"SELECT pg_advisory_xact_lock({LinkLockClass}, hashtext(@transactionId))";

    public override string In(string column, string parameter) => $"{column} = ANY({parameter})";

    public override string ConfirmDecisions => """
        UPDATE authorisation_decisions d SET confirmed_at = COALESCE(d.confirmed_at, @at)
        FROM unnest(@ids::text[], @versions::bigint[]) AS u(i, v)
        WHERE d.transaction_id = u.i AND d.version = u.v AND NOT d.revoked
        RETURNING d.transaction_id, d.version
        """;

    public override object ConfirmParameters(IReadOnlyList<Ledger.DecisionKey> keys, DateTimeOffset at) =>
        new { ids = keys.Select(k => k.TransactionId).ToArray(), versions = keys.Select(k => k.Version).ToArray(), at };

    public override string ClaimClause(string alias) => $" FOR UPDATE OF {alias} SKIP LOCKED";

    public override string LockClause(string alias) => $" FOR UPDATE OF {alias}";

    public override string? DeferredDurability => "SET LOCAL synchronous_commit = off";

    public override string? TransactionLock(string name) => $"SELECT pg_advisory_xact_lock({LockKeys[name]})";

    public override string HasChecksumColumn =>
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum'";
}
