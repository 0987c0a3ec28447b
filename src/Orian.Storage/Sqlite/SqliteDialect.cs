using Orian.Storage.Sql;

namespace Orian.Storage.Sqlite;

/// <summary>SQLite's SQL: lists expanded by Dapper into <c>IN (@p1, @p2, ...)</c>; no row locks
/// (<c>BEGIN IMMEDIATE</c> on the one writer connection excludes every other writer).</summary>
public sealed class SqliteDialect : OnConflictDialect
{
    public override string In(string column, string parameter) => $"{column} IN {parameter}";

    public override string? TransactionLock(string name) => null;

    public override string HasChecksumColumn => "SELECT count(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'";
}
