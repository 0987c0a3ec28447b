using System.Buffers;
using System.Text.Json;
using Orian.Authorisation;
using Orian.Ledger;
using Orian.Wire;

namespace Orian.Service.Endpoints;

/// <summary>
/// The answer to a delegated authorisation request: the transaction resource PPS sent, with our
/// decision in <c>txn_result</c> (<c>result</c>, <c>result_detail</c>, <c>result_message</c>, and
/// <c>approved_amount</c> for partial approvals).
/// </summary>
/// <remarks>
/// The resource is copied member by member from the bytes received (a streaming copy: no document
/// model, so a body the ledger accepted, duplicate member names included, is always answerable).
/// Once a decision may be committed the answer must not fail: if the copy does, the answer is the
/// minimal resource (id, version, decision).
/// </remarks>
internal static class AuthorisationAnswer
{
    public static IResult For(PendingEvent pending, Decision decision, string? outcome)
    {
        var output = new ArrayBufferWriter<byte>(pending.AnswerUtf8?.Length + 256 ?? 512);
        try
        {
            Write(output, pending, decision, outcome, copyResource: true);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            output.ResetWrittenCount();
            Write(output, pending, decision, outcome, copyResource: false);
        }

        return TypedResults.Bytes(output.WrittenMemory.ToArray(), "application/json");
    }

    private static void Write(ArrayBufferWriter<byte> output, PendingEvent pending, Decision decision, string? outcome, bool copyResource)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        if (copyResource && pending.AnswerUtf8 is { } body)
        {
            CopyMembers(writer, body);
        }
        else
        {
            writer.WriteString("id", pending.Event.Id);
            writer.WriteNumber("version", pending.Event.Version);
        }

        writer.WriteStartObject("txn_result");
        writer.WriteString("result", decision.ResultText);
        writer.WriteString("result_detail", decision.Detail);
        if (decision.Message is { } message)
        {
            writer.WriteString("result_message", message);
        }

        if (decision.ApprovedAmount is { } approved)
        {
            writer.WriteAmount("approved_amount", approved);
        }

        writer.WriteEndObject();
        if (outcome is not null)
        {
            // What the version rule made of this request (a re-send is "duplicate"); not part of ORIAN.
            writer.WriteString("orian_outcome", outcome);
        }

        writer.WriteEndObject();
    }

    /// <summary>Every member of the root object as received, except the two the answer sets.</summary>
    private static void CopyMembers(Utf8JsonWriter writer, byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = Orian.Edge.JsonText.MaxDepth });
        reader.Read(); // the root object
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("txn_result"u8) || reader.ValueTextEquals("orian_outcome"u8))
            {
                reader.Skip();
                continue;
            }

            if (reader.ValueIsEscaped)
            {
                writer.WritePropertyName(reader.GetString()!);
            }
            else
            {
                writer.WritePropertyName(reader.ValueSpan);
            }

            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            writer.WriteRawValue(body.AsSpan(start, (int)reader.BytesConsumed - start), skipInputValidation: true);
        }
    }
}
