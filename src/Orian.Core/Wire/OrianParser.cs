using System.Text.Json;
using System.Text.Unicode;
using Orian.Domain;
using Orian.Edge;

namespace Orian.Wire;

/// <summary>
/// Reads an ORIAN v2 transaction from UTF-8 JSON in one forward pass, keeping only what the service
/// acts on. This file and <c>docs/orian-wire.md</c> are the wire contract: every JSON name the service
/// reads is spelled here and nowhere else.
/// </summary>
/// <remarks>
/// Why not a deserializer: the hot path must cost little more than walking the bytes (see
/// <c>benchmarks/</c>), and ORIAN rules are unusual: unknown fields are skipped, unknown enum values
/// are kept and flagged rather than rejected, and a malformed amount must name its full path.
/// </remarks>
public static class OrianParser
{
    public const int MaxIdLength = EdgeLimits.MaxIdLength;
    public const int MaxExponent = 9;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = JsonText.MaxDepth };

    /// <summary>Parses <paramref name="utf8Json"/>; on failure returns null and sets <paramref name="error"/>.</summary>
    public static OrianEvent? Parse(ReadOnlySpan<byte> utf8Json, out ParseError? error)
    {
        // The reader does not validate the UTF-8 inside strings it is not asked to decode, and a
        // stored body must be text every consumer can read: check the whole body first.
        if (!Utf8.IsValid(utf8Json))
        {
            error = new ParseError("$", $"The body is not valid UTF-8 (byte {FirstInvalidUtf8(utf8Json) + 1}).");
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            var evt = ReadRoot(ref reader);
            error = null;
            return evt;
        }
        catch (WireException e)
        {
            error = new ParseError(e.Field, e.Message);
        }
        catch (JsonException e)
        {
            error = new ParseError("$", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        catch (InvalidOperationException)
        {
            // The reader's other refusal of malformed text (a string it cannot decode). Every known
            // case is caught earlier with its field; this keeps an unforeseen one a 400, not a 500.
            error = new ParseError("$", "The body is not valid JSON text.");
        }

        return null;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var index = 0;
        while (index < bytes.Length)
        {
            if (System.Buffers.OperationStatus.Done != System.Text.Rune.DecodeFromUtf8(bytes[index..], out _, out var consumed))
            {
                return index;
            }

            index += consumed;
        }

        return index;
    }

    private static OrianEvent ReadRoot(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new WireException("$", "The body must be a JSON object.");
        }

        string? id = null, statusText = null, schemeId = null, productClass = null, secureAuth = null;
        long? version = null;
        TxnTypeFields txnType = default;
        ResultFields result = default;
        PartyFields payer = default, payee = default;
        TxnAmounts authorisation = default, clearing = default;

        var seen = 0;
        var root = new FieldPath("$");
        while (NextProperty(ref reader, root))
        {
            if (reader.ValueTextEquals("id"u8)) { Once(ref seen, 1, new("id")); id = ReadIdentifier(ref reader, new("id")); }
            else if (reader.ValueTextEquals("version"u8)) { Once(ref seen, 2, new("version")); version = ReadVersion(ref reader); }
            else if (reader.ValueTextEquals("txn_lifecycle_status"u8)) { Once(ref seen, 4, new("txn_lifecycle_status")); statusText = ReadCode(ref reader, new("txn_lifecycle_status")); }
            else if (reader.ValueTextEquals("scheme_id"u8)) { Once(ref seen, 8, new("scheme_id")); schemeId = ReadCode(ref reader, new("scheme_id")); }
            else if (reader.ValueTextEquals("product_class_id"u8)) { Once(ref seen, 16, new("product_class_id")); productClass = ReadCode(ref reader, new("product_class_id")); }
            else if (reader.ValueTextEquals("txn_type"u8)) { Once(ref seen, 32, new("txn_type")); txnType = ReadTxnType(ref reader); }
            else if (reader.ValueTextEquals("txn_result"u8)) { Once(ref seen, 64, new("txn_result")); result = ReadResult(ref reader); }
            else if (reader.ValueTextEquals("payer"u8)) { Once(ref seen, 128, new("payer")); payer = ReadParty(ref reader, "payer"); }
            else if (reader.ValueTextEquals("payee"u8)) { Once(ref seen, 256, new("payee")); payee = ReadParty(ref reader, "payee"); }
            else if (reader.ValueTextEquals("authorisation"u8)) { Once(ref seen, 512, new("authorisation")); authorisation = ReadPhase(ref reader, "authorisation"); }
            else if (reader.ValueTextEquals("clearing"u8)) { Once(ref seen, 1024, new("clearing")); clearing = ReadPhase(ref reader, "clearing"); }
            else if (reader.ValueTextEquals("acceptance"u8)) { Once(ref seen, 2048, new("acceptance")); secureAuth = ReadSingleField(ref reader, new("acceptance"), "txn_secure_auth_result"u8, "txn_secure_auth_result", StringKind.Code); }
            else { SkipValue(ref reader, root); }
        }

        if (reader.Read())
        {
            throw new WireException("$", "Unexpected content after the JSON object.");
        }

        if (id is null) { throw Missing(new("id")); }
        if (version is null) { throw Missing(new("version")); }
        if (string.IsNullOrEmpty(statusText)) { throw Missing(new("txn_lifecycle_status")); }

        return new OrianEvent
        {
            Id = id,
            Version = version.Value,
            Status = ParseStatus(statusText),
            StatusText = statusText,
            SchemeId = schemeId,
            ProductClassId = productClass,
            TxnTypeCode = txnType.Code,
            Direction = txnType.Direction,
            DirectionText = txnType.DirectionText,
            Reversal = txnType.Reversal,
            Financial = txnType.Financial ?? true,
            Result = result.Result,
            ResultText = result.ResultText,
            ResultDetail = result.Detail,
            ResultMessage = result.Message,
            ApprovedAmount = result.ApprovedAmount,
            PayerAccountNo = payer.AccountNo,
            PayeeAccountNo = payee.AccountNo,
            MerchantCategory = payee.MerchantCategory ?? payer.MerchantCategory,
            MaskedPan = payer.MaskedPan ?? payee.MaskedPan,
            SecureAuthResult = secureAuth,
            Authorisation = authorisation,
            Clearing = clearing,
        };
    }

    public static LifecycleStatus ParseStatus(string text) => text switch
    {
        "AUTHORISATION_REQUESTED" => LifecycleStatus.AuthorisationRequested,
        "AUTHORISED" => LifecycleStatus.Authorised,
        "COMPLETE" => LifecycleStatus.Complete,
        "CANCELLED" => LifecycleStatus.Cancelled,
        "EXPIRED" => LifecycleStatus.Expired,
        "MANUALLY_EXPIRED" => LifecycleStatus.ManuallyExpired,
        _ => LifecycleStatus.Unknown,
    };

    public static TxnResult ParseResult(string? text) => text switch
    {
        null or "" => TxnResult.None,
        "APPROVED" => TxnResult.Approved,
        "DECLINED" => TxnResult.Declined,
        "PARTIALLY_APPROVED" => TxnResult.PartiallyApproved,
        "APPROVED_WITH_EXCEPTION" => TxnResult.ApprovedWithException,
        _ => TxnResult.Unknown,
    };

    private static Direction ParseDirection(string? text) => text switch
    {
        null or "" => Direction.None,
        "DEBIT" => Direction.Debit,
        "CREDIT" => Direction.Credit,
        _ => Direction.Unknown,
    };

    private struct TxnTypeFields
    {
        public string? Code;
        public string? DirectionText;
        public Direction Direction;
        public bool Reversal;
        public bool? Financial;
    }

    private static TxnTypeFields ReadTxnType(ref Utf8JsonReader reader)
    {
        TxnTypeFields f = default;
        var path = new FieldPath("txn_type");
        if (!EnterObject(ref reader, path))
        {
            return f;
        }

        var seen = 0;
        while (NextProperty(ref reader, path))
        {
            if (reader.ValueTextEquals("code"u8)) { Once(ref seen, 1, path.Then("code")); f.Code = ReadCode(ref reader, path.Then("code")); }
            else if (reader.ValueTextEquals("direction"u8)) { Once(ref seen, 2, path.Then("direction")); f.DirectionText = ReadCode(ref reader, path.Then("direction")); }
            else if (reader.ValueTextEquals("reversal"u8)) { Once(ref seen, 4, path.Then("reversal")); f.Reversal = ReadBool(ref reader, path.Then("reversal")) ?? false; }
            else if (reader.ValueTextEquals("financial"u8)) { Once(ref seen, 8, path.Then("financial")); f.Financial = ReadBool(ref reader, path.Then("financial")); }
            else { SkipValue(ref reader, path); }
        }

        f.Direction = ParseDirection(f.DirectionText);
        return f;
    }

    private struct ResultFields
    {
        public TxnResult Result;
        public string? ResultText;
        public string? Detail;
        public string? Message;
        public Money? ApprovedAmount;
    }

    private static ResultFields ReadResult(ref Utf8JsonReader reader)
    {
        ResultFields f = default;
        var path = new FieldPath("txn_result");
        if (!EnterObject(ref reader, path))
        {
            return f;
        }

        var seen = 0;
        while (NextProperty(ref reader, path))
        {
            if (reader.ValueTextEquals("result"u8)) { Once(ref seen, 1, path.Then("result")); f.ResultText = ReadCode(ref reader, path.Then("result")); }
            else if (reader.ValueTextEquals("result_detail"u8)) { Once(ref seen, 2, path.Then("result_detail")); f.Detail = ReadCode(ref reader, path.Then("result_detail")); }
            else if (reader.ValueTextEquals("result_message"u8)) { Once(ref seen, 4, path.Then("result_message")); f.Message = ReadText(ref reader, path.Then("result_message"), EdgeLimits.MaxMessageLength); }
            else if (reader.ValueTextEquals("approved_amount"u8)) { Once(ref seen, 8, path.Then("approved_amount")); f.ApprovedAmount = ReadMoney(ref reader, path.Then("approved_amount")); }
            else { SkipValue(ref reader, path); }
        }

        f.Result = ParseResult(f.ResultText);
        return f;
    }

    private struct PartyFields
    {
        public string? AccountNo;
        public string? MerchantCategory;
        public string? MaskedPan;
    }

    private static PartyFields ReadParty(ref Utf8JsonReader reader, string party)
    {
        PartyFields f = default;
        var path = new FieldPath(party);
        if (!EnterObject(ref reader, path))
        {
            return f;
        }

        var seen = 0;
        while (NextProperty(ref reader, path))
        {
            if (reader.ValueTextEquals("account"u8)) { Once(ref seen, 1, path.Then("account")); f.AccountNo = ReadSingleField(ref reader, path.Then("account"), "account_no"u8, "account_no", StringKind.Identifier); }
            else if (reader.ValueTextEquals("acceptor"u8)) { Once(ref seen, 2, path.Then("acceptor")); f.MerchantCategory = ReadSingleField(ref reader, path.Then("acceptor"), "category_auth"u8, "category_auth", StringKind.Code); }
            else if (reader.ValueTextEquals("card"u8)) { Once(ref seen, 4, path.Then("card")); f.MaskedPan = ReadSingleField(ref reader, path.Then("card"), "masked_pan"u8, "masked_pan", StringKind.Code); }
            else { SkipValue(ref reader, path); }
        }

        return f;
    }

    private enum StringKind
    {
        /// <summary>A key (account number): printable ASCII, allocated.</summary>
        Identifier,
        /// <summary>A short code (merchant category, masked PAN): clean text, shared when it repeats.</summary>
        Code,
    }

    /// <summary>Reads one string field of an object and skips the rest of it.</summary>
    private static string? ReadSingleField(ref Utf8JsonReader reader, FieldPath path, ReadOnlySpan<byte> name, string nameText, StringKind kind)
    {
        string? value = null;
        if (!EnterObject(ref reader, path))
        {
            return null;
        }

        var seen = 0;
        while (NextProperty(ref reader, path))
        {
            if (reader.ValueTextEquals(name))
            {
                Once(ref seen, 1, path.Then(nameText));
                value = kind == StringKind.Identifier ? ReadIdentifier(ref reader, path.Then(nameText)) : ReadCode(ref reader, path.Then(nameText));
            }
            else
            {
                SkipValue(ref reader, path);
            }
        }

        return value;
    }

    private static TxnAmounts ReadPhase(ref Utf8JsonReader reader, string phase)
    {
        TxnAmounts amounts = default;
        var path = new FieldPath(phase);
        if (!EnterObject(ref reader, path))
        {
            return amounts;
        }

        var seen = 0;
        while (NextProperty(ref reader, path))
        {
            if (reader.ValueTextEquals("txn_amounts"u8)) { Once(ref seen, 1, path.Then("txn_amounts")); amounts = ReadAmounts(ref reader, path.Then("txn_amounts")); }
            else { SkipValue(ref reader, path); }
        }

        return amounts;
    }

    private static TxnAmounts ReadAmounts(ref Utf8JsonReader reader, FieldPath path)
    {
        Money? requested = null, cardholder = null, final = null;
        if (!EnterObject(ref reader, path))
        {
            return default;
        }

        var seen = 0;
        while (NextProperty(ref reader, path))
        {
            if (reader.ValueTextEquals("requested_amount"u8)) { Once(ref seen, 1, path.Then("requested_amount")); requested = ReadMoney(ref reader, path.Then("requested_amount")); }
            else if (reader.ValueTextEquals("cardholder_amount"u8)) { Once(ref seen, 2, path.Then("cardholder_amount")); cardholder = ReadMoney(ref reader, path.Then("cardholder_amount")); }
            else if (reader.ValueTextEquals("cardholder_final_amount"u8)) { Once(ref seen, 4, path.Then("cardholder_final_amount")); final = ReadMoney(ref reader, path.Then("cardholder_final_amount")); }
            else { SkipValue(ref reader, path); }
        }

        return new TxnAmounts(requested, cardholder, final);
    }

    /// <summary>An amount object <c>{"amount": 100, "currency": {"code": "GBP", "exponent": 2}}</c>.
    /// An amount without its currency is rejected: minor units mean nothing without the exponent.</summary>
    private static Money? ReadMoney(ref Utf8JsonReader reader, FieldPath path)
    {
        if (!EnterObject(ref reader, path))
        {
            return null;
        }

        long? minor = null;
        string? code = null;
        int? exponent = null;
        var sawCurrency = false;
        var seen = 0;
        while (NextProperty(ref reader, path))
        {
            if (reader.ValueTextEquals("amount"u8))
            {
                Once(ref seen, 1, path.Then("amount"));
                minor = ReadInt64(ref reader, path.Then("amount"));
            }
            else if (reader.ValueTextEquals("currency"u8))
            {
                var currency = path.Then("currency");
                Once(ref seen, 2, currency);
                sawCurrency = EnterObject(ref reader, currency);
                var seenInCurrency = 0;
                while (sawCurrency && NextProperty(ref reader, currency))
                {
                    if (reader.ValueTextEquals("code"u8)) { Once(ref seenInCurrency, 1, currency.Then("code")); code = ReadCurrencyCode(ref reader, currency.Then("code")); }
                    else if (reader.ValueTextEquals("exponent"u8)) { Once(ref seenInCurrency, 2, currency.Then("exponent")); exponent = ReadExponent(ref reader, currency.Then("exponent")); }
                    else { SkipValue(ref reader, currency); }
                }
            }
            else
            {
                SkipValue(ref reader, path);
            }
        }

        if (minor is null)
        {
            if (sawCurrency)
            {
                throw Missing(path.Then("amount"));
            }

            return null; // An empty amount object is treated as absent.
        }

        if (minor < 0) { throw new WireException(path.Then("amount").ToString(), $"'{path}.amount' must not be negative; reversals are expressed by the lifecycle status."); }
        if (minor > EdgeLimits.MaxAmountMinor) { throw new WireException(path.Then("amount").ToString(), $"'{path}.amount' must be at most {EdgeLimits.MaxAmountMinor} minor units."); }
        if (!sawCurrency) { throw new WireException(path.Then("currency").ToString(), $"'{path}' has an amount but no currency."); }
        if (code is null) { throw Missing(path.Then("currency").Then("code")); }
        if (exponent is null) { throw Missing(path.Then("currency").Then("exponent")); }
        return new Money(minor.Value, code, exponent.Value);
    }

    private static string ReadCurrencyCode(ref Utf8JsonReader reader, FieldPath path)
    {
        var code = ReadCode(ref reader, path);
        if (code is null || code.Length != 3 || !(char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) && char.IsAsciiLetterUpper(code[2])))
        {
            throw new WireException(path.ToString(), $"'{path}' must be a three-letter ISO 4217 code such as \"GBP\".");
        }

        return code;
    }

    private static int ReadExponent(ref Utf8JsonReader reader, FieldPath path)
    {
        var value = ReadInt64(ref reader, path);
        if (value is null or < 0 or > MaxExponent)
        {
            throw new WireException(path.ToString(), $"'{path}' must be an integer from 0 to {MaxExponent}.");
        }

        return (int)value.Value;
    }

    /// <summary>Moves to the next property name of the current object; false at its end. An escaped
    /// name is decoded first, so that a lone surrogate in it is refused here, naming the object,
    /// rather than thrown from a comparison.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, FieldPath path)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            return false;
        }

        if (reader.ValueIsEscaped)
        {
            CheckEscapedText(ref reader, path);
        }

        return true;
    }

    /// <summary>A value of a member we do not read, skipped token by token so that every escaped
    /// string in it is still checked: the body is stored, and must decode wherever it is read.</summary>
    private static void SkipValue(ref Utf8JsonReader reader, FieldPath path)
    {
        reader.Read();
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            var depth = reader.CurrentDepth;
            while (reader.Read() && !(reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                if (reader.ValueIsEscaped && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    CheckEscapedText(ref reader, path);
                }
            }
        }
        else if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
        {
            CheckEscapedText(ref reader, path);
        }
    }

    /// <summary>An escaped string anywhere in the body must meet <see cref="JsonText.CheckEscaped"/>.</summary>
    private static void CheckEscapedText(ref Utf8JsonReader reader, FieldPath path)
    {
        if (JsonText.CheckEscaped(ref reader) is { } problem)
        {
            throw new WireException(path.ToString(), $"A name or string in '{path}' {problem}.");
        }
    }

    /// <summary>Refuses a second occurrence of a member we read: which one counts would otherwise
    /// depend on the reader, and two readers of one body could disagree about the money.</summary>
    private static void Once(ref int seen, int bit, FieldPath path)
    {
        if ((seen & bit) != 0)
        {
            throw new WireException(path.ToString(), $"'{path}' appears more than once.");
        }

        seen |= bit;
    }

    /// <summary>Reads the value of the current property: true at the start of an object, false for
    /// null (treated as absent); anything else is an error naming <paramref name="path"/>.</summary>
    private static bool EnterObject(ref Utf8JsonReader reader, FieldPath path)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => true,
            JsonTokenType.Null => false,
            _ => throw new WireException(path.ToString(), $"'{path}' must be an object."),
        };
    }

    private static long ReadVersion(ref Utf8JsonReader reader)
    {
        var version = ReadInt64(ref reader, new("version"));
        if (version is null) { throw Missing(new("version")); }
        if (version < 0) { throw new WireException("version", "'version' must not be negative."); }
        return version.Value;
    }

    private static long? ReadInt64(ref Utf8JsonReader reader, FieldPath path)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new WireException(path.ToString(), $"'{path}' must be an integer (minor units, no decimal point).");
        }

        return value;
    }

    private static bool? ReadBool(ref Utf8JsonReader reader, FieldPath path)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Null => null,
            _ => throw new WireException(path.ToString(), $"'{path}' must be true or false."),
        };
    }

    /// <summary>A string (or null): decoded, then held to <see cref="TextRules.IsCleanText"/>.</summary>
    private static string? ReadText(ref Utf8JsonReader reader, FieldPath path, int maxLength)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new WireException(path.ToString(), $"'{path}' must be a string.");
        }

        return CardNumbers.Mask(Clean(DecodeString(ref reader, path), path, maxLength));
    }

    /// <summary>A short code (status, result, scheme, currency ...): clean text of at most
    /// <see cref="EdgeLimits.MaxCodeLength"/> characters, shared when unescaped and repeating.</summary>
    private static string? ReadCode(ref Utf8JsonReader reader, FieldPath path)
    {
        reader.Read();
        var value = reader.TokenType switch
        {
            JsonTokenType.String when !reader.ValueIsEscaped && reader.ValueSpan.Length <= EdgeLimits.MaxCodeLength * 3 => Interned.Get(reader.ValueSpan),
            JsonTokenType.String => DecodeString(ref reader, path),
            JsonTokenType.Null => null,
            _ => throw new WireException(path.ToString(), $"'{path}' must be a string."),
        };
        // A code is stored, logged and sent on in webhooks: a card number in one is masked here, once.
        return value is null ? null : CardNumbers.Mask(Clean(value, path, EdgeLimits.MaxCodeLength));
    }

    private static string DecodeString(ref Utf8JsonReader reader, FieldPath path)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new WireException(path.ToString(), $"'{path}' is not valid Unicode (an unpaired surrogate escape such as \\ud800).");
        }
    }

    private static string Clean(string value, FieldPath path, int maxLength) =>
        TextRules.IsCleanText(value, maxLength) ? value : throw new WireException(path.ToString(), TextRules.Explain(path.ToString(), maxLength));

    /// <summary>An identifier (transaction id, account number): a non-empty string of printable
    /// ASCII, bounded in length so it fits every store's key column.</summary>
    private static string ReadIdentifier(ref Utf8JsonReader reader, FieldPath path)
    {
        reader.Read();
        var value = reader.TokenType switch
        {
            JsonTokenType.String => DecodeString(ref reader, path),
            JsonTokenType.Null => null,
            _ => throw new WireException(path.ToString(), $"'{path}' must be a string."),
        };
        if (string.IsNullOrEmpty(value))
        {
            throw Missing(path);
        }

        if (!TextRules.IsIdentifier(value))
        {
            throw new WireException(path.ToString(), $"'{path}' must be 1 to {MaxIdLength} characters of printable ASCII without spaces.");
        }

        return value;
    }

    private static WireException Missing(FieldPath path) => new(path.ToString(), $"'{path}' is required.");

    private sealed class WireException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }

    /// <summary>A JSON path kept as up to five constant pieces (the deepest ORIAN path,
    /// <c>clearing.txn_amounts.cardholder_final_amount.currency.exponent</c>, has five) and joined only
    /// when an error is reported, so that a valid body costs no path strings at all.</summary>
    private readonly struct FieldPath(string a, string? b = null, string? c = null, string? d = null, string? e = null)
    {
        public FieldPath Then(string next) =>
            b is null ? new(a, next) :
            c is null ? new(a, b, next) :
            d is null ? new(a, b, c, next) :
            e is null ? new(a, b, c, d, next) :
            new(ToString(), next);

        public override string ToString() => string.Join('.', new[] { a, b, c, d, e }.Where(p => p is not null));
    }
}
