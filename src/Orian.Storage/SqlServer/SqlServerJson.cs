using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage.SqlServer;

/// <summary>
/// The rows of one statement as a JSON array that <c>OPENJSON ... WITH</c> reads, written from the
/// table's map: a member per column sent, named as the column; hashes as hex
/// (<c>CONVERT(varbinary, h, 2)</c>), times as ISO 8601 with offset, money as JSON integers (exact in
/// <c>bigint</c>). An insert-if-absent sends each key once (it cannot see a duplicate in its own source).
/// </summary>
internal static class SqlServerJson
{
    public static string Rows<TRow>(TableWrite<TRow> write, IReadOnlyList<TRow> rows)
    {
        var map = write.Map;
        var sent = map.Columns.Where(c => c.IsSent).ToArray();
        var distinct = write.Kind == WriteKind.InsertIfAbsent
            ? rows.DistinctBy(r => string.Join("\u0000", map.Keys.Select(k => k.Get(r))), StringComparer.Ordinal).ToList()
            : rows;
        return Array(distinct, (w, row) =>
        {
            foreach (var column in sent)
            {
                Value(w, column.Name, column.Get(row));
            }
        });
    }

    public static string Keys(IReadOnlyList<DecisionKey> keys) => Array(keys, (w, k) =>
    {
        w.WriteString("i", k.TransactionId);
        w.WriteNumber("v", k.Version);
    });

    /// <summary>A time as <c>datetimeoffset(7)</c> reads it from text.</summary>
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);

    private static void Value(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNull(name); break;
            case string s: w.WriteString(name, s); break;
            case long n: w.WriteNumber(name, n); break;
            case int n: w.WriteNumber(name, n); break;
            case short n: w.WriteNumber(name, n); break;
            case bool b: w.WriteBoolean(name, b); break;
            case double d: w.WriteNumber(name, d); break;
            case byte[] bytes: w.WriteString(name, Convert.ToHexString(bytes)); break;
            case DateTimeOffset t: w.WriteString(name, Time(t)); break;
            default: throw new ArgumentException($"No JSON form for a {value.GetType().Name} ({name}).", nameof(value));
        }
    }

    private static string Array<T>(IReadOnlyList<T> rows, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * Math.Max(1, rows.Count));
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var row in rows)
            {
                w.WriteStartObject();
                write(w, row);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
