using System.Text.Json;
using Orian.Storage.Sql;

namespace Orian.Storage.SqlServer;

/// <summary>
/// T-SQL for SQL Server 2019+ and Azure SQL Database. Where PostgreSQL has a clause, SQL Server has a
/// table hint: claims read with <c>UPDLOCK, READPAST, ROWLOCK</c> (lock what is returned, skip what
/// another claimer holds); an insert that must not collide checks under <c>UPDLOCK, HOLDLOCK</c>,
/// which also locks the key range of a row that does not exist yet. Lists travel as one JSON array
/// read with <c>OPENJSON</c> (a request may carry at most 2,100 parameters, a batch more ids).
/// Upserts are an update, then an insert when nothing was updated, under a serializable range lock:
/// not <c>MERGE</c>, whose concurrent upserts of one key can still fail with duplicate keys unless
/// given the same hint, and whose record of defects makes it the wrong tool for a ledger.
/// </summary>
public sealed class SqlServerDialect : SqlDialect
{
    public override string True => "1";

    public override string False => "0";

    /// <summary>The persisted computed column <c>is_overdrawn</c> and its index (schema 011).</summary>
    public override string Overdrawn => "is_overdrawn = 1";

    public override string Page(string count) => $"OFFSET 0 ROWS FETCH NEXT {count} ROWS ONLY";

    /// <summary>Unverified here (no SQL Server on our build machines): <c>OUTPUT inserted.*</c> returns
    /// each updated row once, however the join matched it.</summary>
    public override string ConfirmDecisions => """
        UPDATE x SET confirmed_at = COALESCE(x.confirmed_at, @at)
        OUTPUT inserted.transaction_id, inserted.version
        FROM authorisation_decisions x JOIN OPENJSON(@rows) WITH (i nvarchar(64), v bigint) u
            ON x.transaction_id = u.i COLLATE Latin1_General_100_BIN2 AND x.version = u.v
        WHERE x.revoked = 0
        """;

    public override object ConfirmParameters(IReadOnlyList<Ledger.DecisionKey> keys, DateTimeOffset at) => new { rows = SqlServerJson.Keys(keys), at };

    public override string In(string column, string parameter) => $"{column} IN (SELECT value COLLATE Latin1_General_100_BIN2 FROM OPENJSON({parameter}))";

    public override object List<T>(T[] values) => JsonSerializer.Serialize(values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), SqlServerJsonContext.Default.StringArray);

    public override string ClaimHint => "WITH (UPDLOCK, READPAST, ROWLOCK)";

    public override string LockHint => "WITH (UPDLOCK, ROWLOCK)";

    /// <summary>The key-range lock every batch takes on its transaction ids (<c>UPDLOCK, HOLDLOCK</c>
    /// locks an id not stored yet too), taken on the one id.</summary>
    public override string? LinkTransactionLock =>
        "SELECT count(*) FROM transactions WITH (UPDLOCK, ROWLOCK, HOLDLOCK) WHERE id = @transactionId";

    public override string? TransactionLock(string name) =>
        $"DECLARE @lock int; EXEC @lock = sp_getapplock @Resource = N'{name}', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1; " +
        $"IF @lock < 0 THROW {SqlServerErrors.LockNotTaken}, N'The lock {name} was not granted.', 1;";

    public override string InsertIfAbsent(string table, IReadOnlyList<(string Column, string Value)> values, params string[] key) =>
        $"INSERT INTO {table} ({Columns(values)}) SELECT {Values(values)} " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {string.Join(" AND ", key.Select(k => $"{k} = {ValueOf(values, k)}"))})";

    public override string Upsert(string table, IReadOnlyList<(string Column, string Value)> values, IReadOnlyList<string> key, IReadOnlyList<string> update) =>
        $"UPDATE {table} WITH (UPDLOCK, SERIALIZABLE) SET {string.Join(", ", update.Select(c => $"{c} = {ValueOf(values, c)}"))} " +
        $"WHERE {string.Join(" AND ", key.Select(k => $"{k} = {ValueOf(values, k)}"))}; " +
        $"IF @@ROWCOUNT = 0 INSERT INTO {table} ({Columns(values)}) VALUES ({Values(values)});";

    public override string CreateMigrationTable =>
        "IF OBJECT_ID(N'schema_migrations', N'U') IS NULL CREATE TABLE schema_migrations " +
        "(id int NOT NULL PRIMARY KEY, name nvarchar(200) NOT NULL, applied_at nvarchar(40) NOT NULL, checksum nvarchar(64) NULL)";

    public override string HasChecksumColumn => "SELECT CASE WHEN COL_LENGTH(N'schema_migrations', N'checksum') IS NULL THEN 0 ELSE 1 END";

    public override string AddChecksumColumn => "ALTER TABLE schema_migrations ADD checksum nvarchar(64) NULL";
}
