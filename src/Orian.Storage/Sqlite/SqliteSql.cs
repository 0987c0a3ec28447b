using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage.Sqlite;

/// <summary>
/// SQLite's shape of a batch write, derived from the table's map: one statement per table per batch,
/// prepared once and stepped once per row with the row's values bound. SQLite runs in this process, so
/// a statement is a function call, not a round trip: what a row costs is binding and the B-tree
/// writes, and a multi-row <c>VALUES</c> list would add a parse per batch size and a parameter-name
/// lookup that grows with the square of the parameters to what it saves.
/// </summary>
internal static partial class SqliteSql
{
    private static readonly ConcurrentDictionary<object, (string Text, string[] Parameters, Array Columns)> Statements = new();

    /// <summary>The statement of <paramref name="write"/> for one row, and the columns it binds (by
    /// name, and as the map's columns, in the same order), rendered once per process.</summary>
    public static (string Text, string[] Parameters, TableColumn<TRow>[] Columns) Statement<TRow>(TableWrite<TRow> write)
    {
        var (text, parameters, columns) = Statements.GetOrAdd(write, _ => Render(write));
        return (text, parameters, (TableColumn<TRow>[])columns);
    }

    private static (string, string[], Array) Render<TRow>(TableWrite<TRow> write)
    {
        var map = write.Map;
        var stored = map.Columns.Where(c => c.IsStored).ToList();
        var text = write.Kind switch
        {
            WriteKind.Append =>
                $"INSERT INTO {map.Table} ({TableWriteText.Names(stored)}) VALUES ({string.Join(", ", stored.Select(Value))})",
            WriteKind.Insert or WriteKind.InsertIfAbsent =>
                $"INSERT INTO {map.Table} ({TableWriteText.Names(stored)}) VALUES ({string.Join(", ", stored.Select(Value))}) " +
                $"ON CONFLICT ({TableWriteText.Names(map.Keys)}) DO NOTHING",
            WriteKind.Update =>
                $"UPDATE {map.Table} AS t SET {Sent(TableWriteText.Assignments(write, Value, "TRUE", "FALSE"))} " +
                $"WHERE {string.Join(" AND ", map.Keys.Select(k => $"t.{k.Name} = @{k.Name}"))}" +
                (TableWriteText.Literals(write.Where, "TRUE", "FALSE") is { } where ? $" AND {Sent(where)}" : ""),
            _ => throw new ArgumentOutOfRangeException(nameof(write), write.Kind, null),
        };
        var bound = ParameterName().Matches(text).Select(m => m.Groups[1].Value).Where(n => n != "at").Distinct(StringComparer.Ordinal).ToArray();
        return (text, bound, Array.ConvertAll(bound, name => map[name]));
    }

    /// <summary>A sent row's value is a bound parameter here: <c>u.col</c> becomes <c>@col</c>.</summary>
    private static string Sent(string text) => SentValue().Replace(text, "@$1");

    private static string Value<TRow>(TableColumn<TRow> column) => column.IsBatchTime ? "@at" : $"@{column.Name}";

    [GeneratedRegex(@"\bu\.(\w+)")]
    private static partial Regex SentValue();

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();
}

/// <summary>Runs a batch's statements as <see cref="LedgerWrites"/> hands them over, each prepared once
/// and stepped per row; a counted write that affects fewer rows than it was given throws
/// <see cref="ConcurrencyException"/>.</summary>
internal sealed class SqliteTableWriter(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset at) : ITableWriter
{
    public void Write<TRow>(TableWrite<TRow> write, IReadOnlyList<TRow> rows)
    {
        var (text, bound, columns) = SqliteSql.Statement(write);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        command.Parameters.AddWithValue("@at", at.ToUniversalTime());
        var parameters = Array.ConvertAll(bound, name => command.Parameters.Add(new SqliteParameter("@" + name, null)));
        command.Prepare();
        var affected = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                parameters[i].Value = Bindable(columns[i].Get(row));
            }

            affected += command.ExecuteNonQuery();
        }

        if (write.IsCounted && affected != rows.Count)
        {
            throw new ConcurrencyException($"Expected to write {rows.Count} {write.What}, wrote {affected}.");
        }
    }

    /// <summary>Times are stored in UTC, as every other write and read of this database has them
    /// (text compares in time order only at one offset).</summary>
    private static object Bindable(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset time => time.ToUniversalTime(),
        _ => value,
    };
}
