using System.Text.Json;
using System.Text.Json.Serialization;
using Orian.Domain;
using Orian.Orchestrator;

namespace Orian.Outbox;

// The outbox payloads as types. Every event Orian tells the outside world is one envelope,
// {"id", "type", "created_at", "data": {...}}, whose data is one of the records below. They are
// written once (EventFactory), and read back only through OutboxPayload, so the JSON a tenant
// receives and the JSON the fan-out and the Orchestrator client read cannot drift apart.
// Members are declared in the order they appear on the wire; null members are written as null.

/// <summary>The envelope of every outbox event.</summary>
public sealed record OutboxEnvelope<TData>(string Id, string Type, DateTime CreatedAt, TData Data);

/// <summary>An ORIAN amount: <c>{"amount": 100, "currency": {"code": "GBP", "exponent": 2}}</c>.</summary>
public sealed record AmountModel(long Amount, CurrencyModel Currency)
{
    public static AmountModel? Of(Money? money) => money is { } m ? new AmountModel(m.Minor, new CurrencyModel(m.Currency, m.Exponent)) : null;

    /// <summary>An amount from its stored columns, or null when either the amount or its currency is absent.</summary>
    public static AmountModel? Of(long? amount, string? currency, int exponent) =>
        amount is { } a && currency is { } c ? new AmountModel(a, new CurrencyModel(c, exponent)) : null;

    public Money ToMoney() => new(Amount, Currency.Code, Currency.Exponent);
}

public sealed record CurrencyModel(string Code, int Exponent);

/// <summary>A 3-D Secure result with what it means for liability.</summary>
public sealed record SecureAuthModel(string Result, string Liability, string? AavLeadingIndicator, string? Sli, string? ExemptionFlag)
{
    public static SecureAuthModel? Of(string? result)
    {
        if (result is null)
        {
            return null;
        }

        var s = SecureAuth.Of(result);
        return new SecureAuthModel(s.Result, s.Liability, s.AavLeadingIndicator, s.Sli.Length == 0 ? null : s.Sli, s.ExemptionFlag);
    }
}

/// <summary>The data of an event that can name the Orchestrator instruction its transaction settles:
/// the three link members are null until the fan-out finds a link.</summary>
public interface ILinkedData<TSelf>
{
    TSelf WithLink(InstructionLinkRefs link);
}

/// <summary><c>transaction.updated</c>: a transaction as it stands after a version was applied.</summary>
public sealed record TransactionUpdatedData(
    string TransactionId, long Version, string Status, string? Result, string? ResultDetail, string? Direction, string? TxnType, string? SchemeId,
    string? AccountNo, AmountModel? Amount, long Held, long Posted, IReadOnlyList<string> Flags, SecureAuthModel? SecureAuth,
    string? OrderRef = null, string? InstructionRef = null, JsonElement? Metadata = null) : ILinkedData<TransactionUpdatedData>
{
    public TransactionUpdatedData WithLink(InstructionLinkRefs link) =>
        this with { OrderRef = link.OrderRef, InstructionRef = link.InstructionRef, Metadata = OutboxPayload.Metadata(link) };
}

/// <summary><c>authorisation.decided</c>: a delegated decision, or its revocation.</summary>
public sealed record AuthorisationDecidedData(
    string TransactionId, long Version, string? AccountNo, string Result, string ResultDetail, string? ResultMessage, AmountModel? Amount,
    AmountModel? ApprovedAmount, long HoldAmount, string Reason, bool TimedOut, bool Revoked,
    string? OrderRef = null, string? InstructionRef = null, JsonElement? Metadata = null) : ILinkedData<AuthorisationDecidedData>
{
    public AuthorisationDecidedData WithLink(InstructionLinkRefs link) =>
        this with { OrderRef = link.OrderRef, InstructionRef = link.InstructionRef, Metadata = OutboxPayload.Metadata(link) };
}

/// <summary><c>account.overdrawn</c>: an account whose available balance went below zero.</summary>
public sealed record AccountOverdrawnData(
    string TransactionId, long Version, string AccountNo, string Currency, int Exponent, long Posted, long Held, long Available,
    string? OrderRef = null, string? InstructionRef = null, JsonElement? Metadata = null) : ILinkedData<AccountOverdrawnData>
{
    public AccountOverdrawnData WithLink(InstructionLinkRefs link) =>
        this with { OrderRef = link.OrderRef, InstructionRef = link.InstructionRef, Metadata = OutboxPayload.Metadata(link) };
}

/// <summary><c>instruction.updated</c>: a linked Orchestrator instruction changes status.</summary>
public sealed record InstructionUpdatedData(
    string TransactionId, long Version, string OrderRef, string InstructionRef, JsonElement? Metadata, string Status, string? PreviousStatus,
    string TransactionStatus, string? Result, string? AccountNo, AmountModel? Amount, DateTime OccurredAt);

/// <summary>Writes and reads outbox payloads.</summary>
public static class OutboxPayload
{
    public static string Write<TData>(OutboxEnvelope<TData> envelope) =>
        JsonSerializer.Serialize(envelope, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<OutboxEnvelope<TData>>)OutboxJsonContext.Default.GetTypeInfo(typeof(OutboxEnvelope<TData>))!);

    public static OutboxEnvelope<TData> Read<TData>(string payload) =>
        JsonSerializer.Deserialize(payload, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<OutboxEnvelope<TData>>)OutboxJsonContext.Default.GetTypeInfo(typeof(OutboxEnvelope<TData>))!)
        ?? throw new JsonException("An outbox payload was null.");

    /// <summary>The data of a <c>transaction.updated</c> payload.</summary>
    public static TransactionUpdatedData ReadTransactionUpdated(string payload) => Read<TransactionUpdatedData>(payload).Data;

    /// <summary>The data of an <c>instruction.updated</c> payload.</summary>
    public static InstructionUpdatedData ReadInstructionUpdated(string payload) => Read<InstructionUpdatedData>(payload).Data;

    /// <summary><paramref name="payload"/>, an event of type <paramref name="eventType"/>, with the
    /// link's references in its data (an instruction update already carries them and is returned as it is).</summary>
    public static string WithLink(string eventType, string payload, InstructionLinkRefs link) => eventType switch
    {
        EventTypes.TransactionUpdated => Relink<TransactionUpdatedData>(payload, link),
        EventTypes.AuthorisationDecided => Relink<AuthorisationDecidedData>(payload, link),
        EventTypes.AccountOverdrawn => Relink<AccountOverdrawnData>(payload, link),
        _ => payload,
    };

    private static string Relink<TData>(string payload, InstructionLinkRefs link)
        where TData : ILinkedData<TData>
    {
        var envelope = Read<TData>(payload);
        return Write(envelope with { Data = envelope.Data.WithLink(link) });
    }

    internal static JsonElement? Metadata(InstructionLinkRefs link)
    {
        if (link.MetadataJson is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(link.MetadataJson);
        return document.RootElement.Clone();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OutboxEnvelope<TransactionUpdatedData>))]
[JsonSerializable(typeof(OutboxEnvelope<AuthorisationDecidedData>))]
[JsonSerializable(typeof(OutboxEnvelope<AccountOverdrawnData>))]
[JsonSerializable(typeof(OutboxEnvelope<InstructionUpdatedData>))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
