using System.Text.Json;
using Orian.Domain;

namespace Orian.Wire;

/// <summary>The ORIAN amount object, <c>{"amount": 100, "currency": {"code": "GBP", "exponent": 2}}</c>,
/// written in one place for everything Orian sends (authorisation answers, outbox events).</summary>
public static class AmountJson
{
    public static void WriteAmount(this Utf8JsonWriter writer, string name, Money money)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("amount", money.Minor);
        writer.WriteStartObject("currency");
        writer.WriteString("code", money.Currency);
        writer.WriteNumber("exponent", money.Exponent);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
