using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orian.Authorisation;
using Orian.Ledger;
using Orian.Outbox;

namespace Orian.Storage.SqlServer;

/// <summary>
/// The rows of one batch as JSON arrays, one per table, that the batch's statements read with
/// <c>OPENJSON ... WITH</c>: short member names, hashes as hex (<c>CONVERT(varbinary, h, 2)</c>),
/// times as ISO 8601 with offset, money as JSON integers (exact in <c>bigint</c>). Rows with the
/// same key are sent once (an insert-if-absent cannot see a duplicate in its own source).
/// </summary>
internal static class SqlServerJson
{
    public static string Transactions(IReadOnlyList<TransactionWrite> writes) => Array(writes, (w, x) =>
    {
        var s = x.State;
        w.WriteString("i", s.Id);
        w.WriteNumber("v", s.Version);
        Number(w, "x", x.ExpectedVersion);
        w.WriteString("h", Convert.ToHexString(s.PayloadHash));
        Text(w, "k", s.PayloadKeyId);
        w.WriteString("s", s.Status);
        Text(w, "r", s.Result);
        Text(w, "d", s.ResultDetail);
        Text(w, "dir", s.Direction);
        Text(w, "t", s.TxnType);
        Text(w, "sc", s.SchemeId);
        Text(w, "a", s.AccountNo);
        Number(w, "m", s.Amount?.Minor);
        Text(w, "c", s.Amount?.Currency);
        Number(w, "e", s.Amount?.Exponent);
        Text(w, "ea", s.Effect.AccountNo);
        Text(w, "ec", s.Effect.Currency);
        w.WriteNumber("ee", s.Effect.Exponent);
        w.WriteNumber("eh", s.Effect.Held);
        w.WriteNumber("ep", s.Effect.Posted);
        Text(w, "ecn", s.Effect.CounterAccount);
        w.WriteBoolean("eca", s.Effect.CounterIsAccount);
        w.WriteNumber("f", (int)s.Flags);
        Text(w, "sa", s.SecureAuthResult);
    });

    public static string Accounts(IReadOnlyList<AccountWrite> writes) => Array(writes, (w, a) =>
    {
        w.WriteString("a", a.AccountNo);
        w.WriteString("c", a.Currency);
        w.WriteNumber("e", a.Exponent);
        w.WriteNumber("p", a.PostedDelta);
        w.WriteNumber("h", a.HeldDelta);
    });

    public static string Versions(IReadOnlyList<VersionRecord> versions) => Array(versions, (w, v) =>
    {
        w.WriteString("i", v.TransactionId);
        w.WriteNumber("v", v.Version);
        w.WriteString("o", v.Outcome.ToWire());
        w.WriteString("h", Convert.ToHexString(v.PayloadHash));
        w.WriteString("k", v.PayloadKeyId);
        w.WriteString("rh", Convert.ToHexString(v.RedactedHash));
        w.WriteNumber("f", (int)v.Flags);
        Text(w, "j", v.RawJson);
        w.WriteString("at", Time(v.ReceivedAt));
    });

    public static string Journal(IReadOnlyList<JournalLine> lines) => Array(lines, (w, j) =>
    {
        w.WriteString("i", j.TransactionId);
        w.WriteNumber("v", j.Version);
        w.WriteString("a", j.AccountNo);
        w.WriteString("k", j.Kind.ToWire());
        w.WriteNumber("m", j.Amount);
        w.WriteString("c", j.Currency);
        w.WriteNumber("e", j.Exponent);
    });

    public static string Decisions(IReadOnlyList<DecisionRecord> decisions) => Array(decisions.Select(DecisionRow.From).ToList(), (w, d) =>
    {
        w.WriteString("i", d.TransactionId);
        w.WriteNumber("v", d.Version);
        Text(w, "a", d.AccountNo);
        w.WriteString("r", d.Result);
        w.WriteString("d", d.ResultDetail);
        Text(w, "msg", d.ResultMessage);
        Number(w, "p", d.ApprovedAmount);
        w.WriteNumber("h", d.HoldAmount);
        Number(w, "m", d.Amount);
        Text(w, "c", d.Currency);
        Number(w, "e", d.Exponent);
        w.WriteString("why", d.Reason);
        w.WriteNumber("l", d.LatencyMs);
        w.WriteBoolean("t", d.TimedOut);
        w.WriteString("dl", Time(d.DeadlineAt!.Value));
        w.WriteBoolean("ok", d.ConfirmedAt is not null);
    });

    public static string Keys(IReadOnlyList<DecisionKey> keys) => Array(keys, (w, k) =>
    {
        w.WriteString("i", k.TransactionId);
        w.WriteNumber("v", k.Version);
    });

    public static string Revocations(IReadOnlyList<DecisionRevocation> revocations) => Array(revocations, (w, r) =>
    {
        w.WriteString("i", r.TransactionId);
        w.WriteNumber("v", r.Version);
        w.WriteString("r", r.StandIn.ResultText);
        w.WriteString("d", r.StandIn.Detail);
        if (r.ConfirmedAt is { } at)
        {
            w.WriteString("ca", Time(at));
        }
        else
        {
            w.WriteNull("ca");
        }
    });

    public static string Outbox(IReadOnlyList<OutboxEvent> events) =>
        Array(events.DistinctBy(e => e.EventId, StringComparer.Ordinal).ToList(), (w, e) =>
        {
            w.WriteString("i", e.EventId);
            w.WriteString("t", e.Type);
            Text(w, "x", e.TransactionId);
            Number(w, "v", e.Version);
            Text(w, "a", e.AccountNo);
            w.WriteString("p", e.Payload);
            Text(w, "tp", e.TraceParent);
        });

    /// <summary>A time as <c>datetimeoffset(7)</c> reads it from text.</summary>
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);

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

    private static void Text(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } n)
        {
            w.WriteNumber(name, n);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
