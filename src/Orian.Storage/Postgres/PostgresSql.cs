using System.Collections.Concurrent;
using Npgsql;
using Orian.Storage.Sql;

namespace Orian.Storage.Postgres;

/// <summary>
/// PostgreSQL's shape of a batch write, derived from the table's map: the rows travel as one typed
/// array per column and are read back as a relation, <c>unnest(@col::type[], ...) AS u(col, ...)</c>,
/// which one <c>INSERT ... SELECT</c> or <c>UPDATE ... FROM</c> writes whole. Keys join by index
/// probes: the batch's transaction plans each statement once, with scans and hash joins off
/// (<see cref="PostgresUnitOfWork.PlanSettings"/>).
/// </summary>
internal static class PostgresSql
{
    private static readonly ConcurrentDictionary<object, string> Statements = new();

    /// <summary>The statement of <paramref name="write"/>, rendered once per process.</summary>
    public static string Statement<TRow>(TableWrite<TRow> write) => Statements.GetOrAdd(write, _ => Render(write));

    /// <summary>One parameter per column sent, an array of every row's value.</summary>
    public static IEnumerable<NpgsqlParameter> Parameters<TRow>(TableMap<TRow> map, IReadOnlyList<TRow> rows) =>
        map.Columns.Where(c => c.IsSent).Select(c => new NpgsqlParameter(c.Name, Values(c.Gather(rows))));

    public static string TypeOf(ColumnType type) => type switch
    {
        ColumnType.Text or ColumnType.Key or ColumnType.Currency or ColumnType.Document => "text",
        ColumnType.BigInt => "bigint",
        ColumnType.Int => "integer",
        ColumnType.SmallInt => "smallint",
        ColumnType.Bool => "boolean",
        ColumnType.Bytes => "bytea",
        ColumnType.Time => "timestamptz",
        ColumnType.Real => "double precision",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string Render<TRow>(TableWrite<TRow> write)
    {
        var map = write.Map;
        var sent = map.Columns.Where(c => c.IsSent).ToList();
        var source = $"unnest({string.Join(", ", sent.Select(c => $"@{c.Name}::{TypeOf(c.Type)}[]"))}) AS u({TableWriteText.Names(sent)})";
        var stored = map.Columns.Where(c => c.IsStored).ToList();
        return write.Kind switch
        {
            WriteKind.Append =>
                $"INSERT INTO {map.Table} ({TableWriteText.Names(stored)}) SELECT {string.Join(", ", stored.Select(Value))} FROM {source}",
            WriteKind.Insert or WriteKind.InsertIfAbsent =>
                $"INSERT INTO {map.Table} ({TableWriteText.Names(stored)}) SELECT {string.Join(", ", stored.Select(Value))} FROM {source} " +
                $"ON CONFLICT ({TableWriteText.Names(map.Keys)}) DO NOTHING",
            WriteKind.Update =>
                $"UPDATE {map.Table} t SET {TableWriteText.Assignments(write, Value, "TRUE", "FALSE")} FROM {source} " +
                $"WHERE {string.Join(" AND ", map.Keys.Select(k => $"t.{k.Name} = u.{k.Name}"))}" +
                (TableWriteText.Literals(write.Where, "TRUE", "FALSE") is { } where ? $" AND {where}" : ""),
            _ => throw new ArgumentOutOfRangeException(nameof(write), write.Kind, null),
        };
    }

    private static string Value<TRow>(TableColumn<TRow> column) => column.IsBatchTime ? "@at" : $"u.{column.Name}";

    /// <summary>Times go as UTC <see cref="DateTime"/>s (what <c>timestamptz</c> takes); the rest as read.</summary>
    private static Array Values(Array values) => values switch
    {
        DateTimeOffset[] times => Array.ConvertAll(times, t => t.UtcDateTime),
        DateTimeOffset?[] times => Array.ConvertAll(times, t => t?.UtcDateTime),
        _ => values,
    };
}
