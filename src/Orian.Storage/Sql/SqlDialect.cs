namespace Orian.Storage.Sql;

/// <summary>
/// The few places where the SQL the features share differs between databases. Everything else in
/// the feature folders is written once, in the SQL the three providers read alike. Each member
/// returns text only (no connection), so a dialect is tested as plain strings.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The boolean literals (<c>TRUE</c>/<c>FALSE</c>; SQL Server's <c>bit</c> takes 1/0).</summary>
    public abstract string True { get; }

    public abstract string False { get; }

    /// <summary>After an <c>ORDER BY</c>: at most <paramref name="count"/> rows (a parameter or a literal).</summary>
    public abstract string Page(string count);

    /// <summary><paramref name="column"/> is one of the values of the list parameter <paramref name="parameter"/>,
    /// whose value is made by <see cref="List{T}"/>.</summary>
    public abstract string In(string column, string parameter);

    /// <summary>The value of a list parameter for <see cref="In"/>: the array itself (an array
    /// parameter, or one Dapper expands), or what the dialect's list form needs.</summary>
    public virtual object List<T>(T[] values) => values;

    /// <summary>Parameters holding one list for <see cref="In"/>. Dapper decides whether to expand a
    /// list from the parameter's runtime value only through <see cref="Dapper.DynamicParameters"/>
    /// (an anonymous object's member typed <c>object</c> would be sent as it is).</summary>
    public Dapper.DynamicParameters ListParameters<T>(string name, T[] values)
    {
        var parameters = new Dapper.DynamicParameters();
        parameters.Add(name, List(values));
        return parameters;
    }

    /// <summary>A table hint placed after a queue table's alias in a claim (SQL Server's
    /// <c>WITH (UPDLOCK, READPAST, ROWLOCK)</c>); empty where the lock is a trailing clause.</summary>
    /// <summary>The predicate of an overdrawn account, as its index can serve it (a partial index on
    /// <c>posted &lt; held</c>; SQL Server's filtered indexes cannot compare two columns, so it indexes
    /// a computed column instead).</summary>
    public virtual string Overdrawn => "posted < held";

    /// <summary>A statement that makes the current transaction's commit wait for the database's
    /// replicas (PostgreSQL: a small write, so its commit waits for a synchronous standby, and all that
    /// came before in the log is then on the standby too); null where a commit already implies it.</summary>
    public virtual string? ConfirmsReplication => null;

    /// <summary>Confirms decisions as their requests' answers (<see cref="Ledger.ILedgerStore.ConfirmDecisionsAsync"/>):
    /// sets <c>confirmed_at</c> (keeping an earlier one) on each listed decision that is not revoked,
    /// and returns the <c>transaction_id, version</c> of each; one statement for the whole list, with
    /// the parameters <see cref="ConfirmParameters"/> makes (<c>@at</c> and the keys).</summary>
    public abstract string ConfirmDecisions { get; }

    /// <summary>The parameters of <see cref="ConfirmDecisions"/>.</summary>
    public abstract object ConfirmParameters(IReadOnlyList<Ledger.DecisionKey> keys, DateTimeOffset at);

    public virtual string ClaimHint => "";

    /// <summary>A clause ending a claim's <c>SELECT</c> that locks the rows it returns and skips rows
    /// another claimer holds (PostgreSQL's <c>FOR UPDATE OF alias SKIP LOCKED</c>); empty elsewhere.</summary>
    public virtual string ClaimClause(string alias) => "";

    /// <summary>A table hint that locks the rows a <c>SELECT</c> returns until the transaction ends,
    /// waiting for any other holder (SQL Server's <c>WITH (UPDLOCK, ROWLOCK)</c>); empty elsewhere.</summary>
    public virtual string LockHint => "";

    /// <summary>A clause ending a <c>SELECT</c> that locks the rows it returns until the transaction ends,
    /// waiting for any other holder (PostgreSQL's <c>FOR UPDATE OF alias</c>); empty elsewhere. For a
    /// row the reader owns: a claimer skipping it may still hold it for a moment (PostgreSQL keeps the
    /// lock on a row a locking read re-checked and passed over), so skipping there would pass over
    /// one's own row.</summary>
    public virtual string LockClause(string alias) => "";

    /// <summary>A statement that takes the named lock for the rest of the transaction, or null where
    /// a write transaction already excludes every other writer (SQLite).</summary>
    public abstract string? TransactionLock(string name);

    /// <summary>A statement that makes the current transaction the only writer of one transaction id's
    /// link until it ends (parameter <c>@transactionId</c>), against the ledger batches touching that id,
    /// whether or not the transaction is stored yet: a batch fans its events out with the links it
    /// reads, so a link written meanwhile must wait for it, or be seen by it. Null where a write
    /// transaction already excludes every other writer (SQLite).</summary>
    public abstract string? LinkTransactionLock { get; }

    /// <summary>A statement that lets the current transaction commit without waiting for its log to
    /// reach the disk (PostgreSQL's <c>SET LOCAL synchronous_commit = off</c>), or null where the
    /// provider has none to offer per transaction. Only for writes that a crash may lose harmlessly
    /// because they are redone: the dispatcher's fan-outs, claims and attempt records (a lost record
    /// means the delivery is sent again under the same webhook-id). Never for anything acknowledged.</summary>
    public virtual string? DeferredDurability => null;

    /// <summary>Inserts one row unless a row with the same key exists (no error, no change): the
    /// statement affects 1 row or 0.</summary>
    /// <param name="values">Column names and the SQL expressions (usually parameters) they take.</param>
    public abstract string InsertIfAbsent(string table, IReadOnlyList<(string Column, string Value)> values, params string[] key);

    /// <summary>Inserts one row, or updates <paramref name="update"/> columns of the row with the same key.</summary>
    public abstract string Upsert(string table, IReadOnlyList<(string Column, string Value)> values, IReadOnlyList<string> key, IReadOnlyList<string> update);

    /// <summary>Creates <c>schema_migrations</c> (id, name, applied_at, checksum) if it does not exist.</summary>
    public abstract string CreateMigrationTable { get; }

    /// <summary>A query giving 1 when <c>schema_migrations</c> has a <c>checksum</c> column, 0 when not
    /// (databases migrated before checksums were recorded).</summary>
    public abstract string HasChecksumColumn { get; }

    /// <summary>Adds the <c>checksum</c> column to an older <c>schema_migrations</c>.</summary>
    public abstract string AddChecksumColumn { get; }

    protected static string Columns(IReadOnlyList<(string Column, string Value)> values) => string.Join(", ", values.Select(v => v.Column));

    protected static string Values(IReadOnlyList<(string Column, string Value)> values) => string.Join(", ", values.Select(v => v.Value));

    protected static string ValueOf(IReadOnlyList<(string Column, string Value)> values, string column) =>
        values.First(v => v.Column == column).Value;
}

/// <summary>The dialect PostgreSQL and SQLite share: <c>LIMIT</c>, <c>ON CONFLICT</c>, <c>TRUE</c>.</summary>
public abstract class OnConflictDialect : SqlDialect
{
    public override string True => "TRUE";

    public override string False => "FALSE";

    public override string Page(string count) => $"LIMIT {count}";

    public override string InsertIfAbsent(string table, IReadOnlyList<(string Column, string Value)> values, params string[] key) =>
        $"INSERT INTO {table} ({Columns(values)}) VALUES ({Values(values)}) ON CONFLICT ({string.Join(", ", key)}) DO NOTHING";

    public override string Upsert(string table, IReadOnlyList<(string Column, string Value)> values, IReadOnlyList<string> key, IReadOnlyList<string> update) =>
        $"INSERT INTO {table} ({Columns(values)}) VALUES ({Values(values)}) ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET " +
        string.Join(", ", update.Select(c => $"{c} = excluded.{c}"));

    public override string CreateMigrationTable =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL, checksum text)";

    public override string AddChecksumColumn => "ALTER TABLE schema_migrations ADD COLUMN checksum text";
}
