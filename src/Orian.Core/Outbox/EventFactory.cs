using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Ledger;
using Orian.Orchestrator;
using Orian.Wire;

namespace Orian.Outbox;

/// <summary>
/// Builds the events of the outbox, in one envelope:
/// <c>{"id", "type", "created_at", "data": {...}}</c>. <c>data.transaction_id</c> and
/// <c>data.version</c> are the per-transaction sequence consumers order by.
/// </summary>
public static class EventFactory
{
    public static OutboxEvent TransactionUpdated(TransactionState state, DateTimeOffset at) =>
        Build(EventTypes.TransactionUpdated, state.Id, state.Version, state.AccountNo ?? state.Effect.AccountNo, "", at, w =>
        {
            w.WriteString("status", state.Status);
            WriteOptional(w, "result", state.Result);
            WriteOptional(w, "result_detail", state.ResultDetail);
            WriteOptional(w, "direction", state.Direction);
            WriteOptional(w, "txn_type", state.TxnType);
            WriteOptional(w, "scheme_id", state.SchemeId);
            WriteOptional(w, "account_no", state.AccountNo);
            WriteMoney(w, "amount", state.Amount);
            w.WriteNumber("held", state.Effect.Held);
            w.WriteNumber("posted", state.Effect.Posted);
            w.WriteStartArray("flags");
            foreach (var flag in state.Flags.ToNames())
            {
                w.WriteStringValue(flag);
            }

            w.WriteEndArray();
            WriteSecureAuth(w, state.SecureAuthResult);
            WriteLink(w, null);
        });

    /// <summary>The 3-D Secure result with its liability and indicators, or null.</summary>
    public static void WriteSecureAuth(Utf8JsonWriter w, string? result)
    {
        if (result is null)
        {
            w.WriteNull("secure_auth");
            return;
        }

        var s = SecureAuth.Of(result);
        w.WriteStartObject("secure_auth");
        w.WriteString("result", s.Result);
        w.WriteString("liability", s.Liability);
        WriteOptional(w, "aav_leading_indicator", s.AavLeadingIndicator);
        WriteOptional(w, "sli", s.Sli.Length == 0 ? null : s.Sli);
        WriteOptional(w, "exemption_flag", s.ExemptionFlag);
        w.WriteEndObject();
    }

    public static OutboxEvent AuthorisationDecided(string transactionId, long version, string? accountNo, Decision decision, Money? amount, bool timedOut, bool revoked, DateTimeOffset at) =>
        Build(EventTypes.AuthorisationDecided, transactionId, version, accountNo, revoked ? "revoked" : "", at, w =>
        {
            WriteOptional(w, "account_no", accountNo);
            w.WriteString("result", decision.ResultText);
            w.WriteString("result_detail", decision.Detail);
            WriteOptional(w, "result_message", decision.Message);
            WriteMoney(w, "amount", amount);
            WriteMoney(w, "approved_amount", decision.ApprovedAmount);
            w.WriteNumber("hold_amount", decision.HoldAmount);
            w.WriteString("reason", decision.Reason);
            w.WriteBoolean("timed_out", timedOut);
            w.WriteBoolean("revoked", revoked);
            WriteLink(w, null);
        });

    public static OutboxEvent AccountOverdrawn(string transactionId, long version, string accountNo, AccountState account, DateTimeOffset at) =>
        Build(EventTypes.AccountOverdrawn, transactionId, version, accountNo, "", at, w =>
        {
            w.WriteString("account_no", accountNo);
            w.WriteString("currency", account.Currency);
            w.WriteNumber("exponent", account.Exponent);
            w.WriteNumber("posted", account.Posted);
            w.WriteNumber("held", account.Held);
            w.WriteNumber("available", account.Available);
            WriteLink(w, null);
        });

    /// <summary>A linked Payments Orchestrator instruction changes status because its transaction
    /// reached <paramref name="version"/>. Sent to the Orchestrator and to subscribed tenants.</summary>
    public static OutboxEvent InstructionUpdated(InstructionChange change, DateTimeOffset at) =>
        Build(EventTypes.InstructionUpdated, change.TransactionId, change.Version, change.AccountNo,
            $"{change.Link.OrderRef}|{change.Link.InstructionRef}|{change.Status}", at, w =>
            {
                WriteLink(w, change.Link);
                w.WriteString("status", change.Status);
                WriteOptional(w, "previous_status", change.PreviousStatus);
                w.WriteString("transaction_status", change.TransactionStatus);
                WriteOptional(w, "result", change.Result);
                WriteOptional(w, "account_no", change.AccountNo);
                WriteMoney(w, "amount", change.Amount);
                w.WriteString("occurred_at", change.OccurredAt.UtcDateTime);
            });

    /// <summary><paramref name="payload"/> (an event of this factory) with the link's references in
    /// its <c>data</c>, so that tenants see which order and instruction an event is about.</summary>
    public static string WithLink(string payload, InstructionLinkRefs link)
    {
        using var document = JsonDocument.Parse(payload);
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("data"))
                {
                    w.WriteStartObject("data");
                    foreach (var field in property.Value.EnumerateObject())
                    {
                        if (!field.NameEquals("order_ref") && !field.NameEquals("instruction_ref") && !field.NameEquals("metadata"))
                        {
                            field.WriteTo(w);
                        }
                    }

                    WriteLink(w, link);
                    w.WriteEndObject();
                }
                else
                {
                    property.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The link references of an event's transaction; null (all three fields null) until
    /// the fan-out finds a link.</summary>
    private static void WriteLink(Utf8JsonWriter w, InstructionLinkRefs? link)
    {
        if (link is null)
        {
            w.WriteNull("order_ref");
            w.WriteNull("instruction_ref");
            w.WriteNull("metadata");
            return;
        }

        w.WriteString("order_ref", link.OrderRef);
        w.WriteString("instruction_ref", link.InstructionRef);
        if (link.MetadataJson is { } metadata)
        {
            w.WritePropertyName("metadata");
            w.WriteRawValue(metadata);
        }
        else
        {
            w.WriteNull("metadata");
        }
    }

    /// <summary>A stable id: the same cause always yields the same id.</summary>
    public static string EventIdFor(string type, string transactionId, long version, string suffix)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{type}|{transactionId}|{version}|{suffix}"), hash);
        return "evt_" + Convert.ToHexStringLower(hash[..13]);
    }

    private static OutboxEvent Build(string type, string transactionId, long version, string? accountNo, string suffix, DateTimeOffset at, Action<Utf8JsonWriter> data)
    {
        var id = EventIdFor(type, transactionId, version, suffix);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("type", type);
            w.WriteString("created_at", at.UtcDateTime);
            w.WriteStartObject("data");
            w.WriteString("transaction_id", transactionId);
            w.WriteNumber("version", version);
            data(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return new OutboxEvent(id, type, transactionId, version, accountNo, Encoding.UTF8.GetString(buffer.WrittenSpan), at);
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
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

    private static void WriteMoney(Utf8JsonWriter w, string name, Money? money)
    {
        if (money is not { } m)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteAmount(name, m);
    }
}
