using Orian.Storage.Sql;

namespace Orian.Storage.Sqlite;

/// <summary>SQLite's SQL: lists expanded by Dapper into <c>IN (@p1, @p2, ...)</c>; no row locks
/// (<c>BEGIN IMMEDIATE</c> on the one writer connection excludes every other writer).</summary>
public sealed class SqliteDialect : OnConflictDialect
{
    public override string In(string column, string parameter) => $"{column} IN {parameter}";

    /// <summary>The keys travel as one JSON array read with <c>json_each</c>, whatever their number.</summary>
    public override string ConfirmDecisions => """
        UPDATE authorisation_decisions SET confirmed_at = COALESCE(confirmed_at, @at)
        WHERE revoked = FALSE AND (transaction_id, version) IN (SELECT value ->> '$.i', value ->> '$.v' FROM json_each(@rows))
        RETURNING transaction_id, version
        """;

    public override object ConfirmParameters(IReadOnlyList<Ledger.DecisionKey> keys, DateTimeOffset at)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var key in keys)
            {
                w.WriteStartObject();
                w.WriteString("i", key.TransactionId);
                w.WriteNumber("v", key.Version);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return new { rows = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), at };
    }

    public override string? TransactionLock(string name) => null;

    public override string? LinkTransactionLock => null;

    public override string HasChecksumColumn => "SELECT count(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'";
}
