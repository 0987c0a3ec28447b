using System.Text;
using System.Text.Json;
using Orian.Ledger;
using Orian.Wire;

namespace Orian.Tests.Support;

/// <summary>Builds ORIAN v2 transaction JSON for tests, in the wire format of <c>docs/orian-wire.md</c>.</summary>
internal sealed record Txn
{
    public string Id { get; init; } = "T1";
    public long Version { get; init; } = 1;
    public string Status { get; init; } = "AUTHORISED";
    public string? Result { get; init; } = "APPROVED";
    public string Direction { get; init; } = "DEBIT";
    public bool Financial { get; init; } = true;
    public string Account { get; init; } = "ACC-1";
    public string Currency { get; init; } = "GBP";
    public int Exponent { get; init; } = 2;
    public long Amount { get; init; } = 100;
    public long? ClearingAmount { get; init; }
    public long? ApprovedAmount { get; init; }
    public string Scheme { get; init; } = "MC";
    public string? ProductClass { get; init; }
    public string MerchantCategory { get; init; } = "5812";
    public string? Extra { get; init; }

    /// <summary>For a transfer: the payee's PPS account (the payer's is <see cref="Account"/>).</summary>
    public string? PayeeAccount { get; init; }

    public string Json
    {
        get
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteString("id", Id);
                w.WriteNumber("version", Version);
                w.WriteString("scheme_id", Scheme);
                if (ProductClass is not null)
                {
                    w.WriteString("product_class_id", ProductClass);
                }

                w.WriteString("txn_lifecycle_status", Status);
                if (Result is not null)
                {
                    w.WriteStartObject("txn_result");
                    w.WriteString("result", Result);
                    if (ApprovedAmount is { } approved)
                    {
                        w.WritePropertyName("approved_amount");
                        WriteAmount(w, approved);
                    }

                    w.WriteEndObject();
                }

                w.WriteStartObject(Direction == "CREDIT" && PayeeAccount is null ? "payee" : "payer");
                w.WriteStartObject("account");
                w.WriteString("account_no", Account);
                w.WriteEndObject();
                w.WriteStartObject("card");
                w.WriteString("masked_pan", "123456******9876");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject(Direction == "CREDIT" && PayeeAccount is null ? "payer" : "payee");
                if (PayeeAccount is not null)
                {
                    w.WriteStartObject("account");
                    w.WriteString("account_no", PayeeAccount);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteStartObject("acceptor");
                    w.WriteString("name", "Test Merchant");
                    w.WriteString("category_auth", MerchantCategory);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteStartObject("txn_type");
                w.WriteString("code", "REDEMPTION");
                w.WriteString("direction", Direction);
                w.WriteBoolean("financial", Financial);
                w.WriteEndObject();
                WritePhase(w, "authorisation", Amount);
                if (ClearingAmount is { } clearing)
                {
                    WritePhase(w, "clearing", clearing);
                }

                if (Extra is not null)
                {
                    w.WriteString("extra_note", Extra);
                }

                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }
    }

    public byte[] Utf8 => Encoding.UTF8.GetBytes(Json);

    public OrianEvent Parse() => OrianParser.Parse(Utf8, out var error) ?? throw new InvalidOperationException(error!.Message);

    public PendingEvent Pending(DateTimeOffset? at = null) => new(Parse(), Utf8, at ?? DateTimeOffset.UnixEpoch, PayloadKeys.Development);

    private void WritePhase(Utf8JsonWriter w, string phase, long amount)
    {
        w.WriteStartObject(phase);
        w.WriteStartObject("txn_amounts");
        w.WritePropertyName("requested_amount");
        WriteAmount(w, amount);
        w.WritePropertyName("cardholder_amount");
        WriteAmount(w, amount);
        w.WritePropertyName("cardholder_final_amount");
        WriteAmount(w, amount);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private void WriteAmount(Utf8JsonWriter w, long amount)
    {
        w.WriteStartObject();
        w.WriteNumber("amount", amount);
        w.WriteStartObject("currency");
        w.WriteString("code", Currency);
        w.WriteNumber("exponent", Exponent);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
