using System.Text;
using System.Text.Json;

namespace Orian.Edge;

/// <summary>
/// Card numbers (PANs) never leave the edge unmasked. A string of 13 to 19 ASCII digits that passes
/// the Luhn check is treated as a PAN and shown as its first six and last four digits, the digits
/// between replaced by '*': the form ORIAN's own <c>masked_pan</c> takes.
/// </summary>
/// <remarks>
/// The values of <c>id</c> and <c>account_no</c> members are identifiers, not card data: validated
/// as such, stored as keys in their own columns, and one 17-digit transaction id in ten passes the
/// Luhn check (ORIAN's own example, 18020114280135473, does). Masking them would make the stored
/// body disagree with its key and logs unsearchable by id, while the key column keeps the value
/// anyway; so they are left as sent.
/// </remarks>
public static class CardNumbers
{
    public const int MinLength = 13;
    public const int MaxLength = 19;

    /// <summary>True for 13–19 ASCII digits passing the Luhn check.</summary>
    public static bool IsPan(ReadOnlySpan<char> digits)
    {
        if (digits.Length is < MinLength or > MaxLength)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var c = digits[digits.Length - 1 - i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            sum += LuhnTerm(c - '0', doubled: (i & 1) == 1);
        }

        return sum % 10 == 0;
    }

    /// <inheritdoc cref="IsPan(ReadOnlySpan{char})"/>
    public static bool IsPan(ReadOnlySpan<byte> digits)
    {
        if (digits.Length is < MinLength or > MaxLength)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var b = digits[digits.Length - 1 - i];
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            sum += LuhnTerm(b - '0', doubled: (i & 1) == 1);
        }

        return sum % 10 == 0;
    }

    /// <summary>Whether the string opening at <paramref name="quote"/> is the value of an <c>id</c>
    /// or <c>account_no</c> member: looking back, optional whitespace, ':', optional whitespace, and
    /// a member name that is exactly one of those.</summary>
    private static bool IsIdentifierValue(ReadOnlySpan<byte> json, int quote)
    {
        var i = quote - 1;
        while (i >= 0 && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i--;
        }

        if (i < 0 || json[i] != ':')
        {
            return false;
        }

        i--;
        while (i >= 0 && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i--;
        }

        var name = json[..(i + 1)];
        return name.EndsWith("\"id\""u8) && (name.Length == 4 || name[^5] != '\\')
            || name.EndsWith("\"account_no\""u8) && (name.Length == 12 || name[^13] != '\\');
    }

    private static int LuhnTerm(int digit, bool doubled) => !doubled ? digit : digit * 2 > 9 ? digit * 2 - 9 : digit * 2;

    /// <summary>The value with a PAN masked, or the value itself when it is not one.</summary>
    public static string? Mask(string? value)
    {
        if (value is null || !IsPan(value))
        {
            return value;
        }

        return string.Create(value.Length, value, static (span, v) =>
        {
            v.AsSpan().CopyTo(span);
            span[6..^4].Fill('*');
        });
    }

    /// <summary>Masks every PAN-shaped run of digits inside free text (for log lines).</summary>
    public static string MaskRuns(string value)
    {
        char[]? copy = null;
        var i = 0;
        while (i < value.Length)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
            }

            if (IsPan(value.AsSpan(start, i - start)))
            {
                copy ??= value.ToCharArray();
                copy.AsSpan(start + 6, i - start - 10).Fill('*');
            }
        }

        return copy is null ? value : new string(copy);
    }

    /// <summary>
    /// The UTF-8 JSON document as text, with every string value that is a PAN masked. The bytes are
    /// expected to be a valid JSON document (the parser has accepted them). Fast path: in valid JSON a
    /// run of digits with a quote on each side is exactly a string of digits, so a byte scan finds
    /// every unescaped PAN; only a document that writes digits as <c>\u003N</c> escapes is walked
    /// token by token.
    /// </summary>
    public static string MaskJson(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u003"u8) >= 0)
        {
            return MaskJsonByTokens(json);
        }

        byte[]? copy = null;
        var i = 0;
        while (i < json.Length)
        {
            var found = json[i..].IndexOfAnyInRange((byte)'0', (byte)'9');
            if (found < 0)
            {
                break;
            }

            var start = i + found;
            var end = start;
            while (end < json.Length && json[end] is >= (byte)'0' and <= (byte)'9')
            {
                end++;
            }

            if (start > 0 && json[start - 1] == '"' && end < json.Length && json[end] == '"' && IsPan(json[start..end]) && !IsIdentifierValue(json, start - 1))
            {
                copy ??= json.ToArray();
                copy.AsSpan(start + 6, end - start - 10).Fill((byte)'*');
            }

            i = end;
        }

        return Encoding.UTF8.GetString(copy is null ? json : copy);
    }

    /// <summary>The slow path: every string value compared after unescaping; a PAN's whole token is
    /// replaced by its masked, unescaped form.</summary>
    private static string MaskJsonByTokens(ReadOnlySpan<byte> json)
    {
        var output = new StringBuilder(json.Length);
        var copied = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var identifier = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    identifier = reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("account_no"u8);
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String || identifier || (!reader.ValueIsEscaped && !IsPan(reader.ValueSpan)))
                {
                    continue;
                }

                var value = reader.GetString()!;
                if (!IsPan(value))
                {
                    continue;
                }

                var start = (int)reader.TokenStartIndex;
                output.Append(Encoding.UTF8.GetString(json[copied..start])).Append('"').Append(Mask(value)).Append('"');
                copied = (int)reader.BytesConsumed;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not a document the parser accepted: nothing of it is stored, so there is nothing to mask.
        }

        return output.Append(Encoding.UTF8.GetString(json[copied..])).ToString();
    }

}
