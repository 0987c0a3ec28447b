namespace Orian.Edge;

/// <summary>
/// What a string must be before it is stored or used as a key. Every client-controlled string goes
/// through one of these; none of them allocates.
/// </summary>
public static class TextRules
{
    /// <summary>An identifier: 1 to <see cref="EdgeLimits.MaxIdLength"/> characters of printable
    /// ASCII without spaces (fits every store's key column, safe in logs and URLs).</summary>
    public static bool IsIdentifier(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > EdgeLimits.MaxIdLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Text a database column can hold and a log line can show: no C0 or C1 control
    /// characters (NUL included: PostgreSQL refuses it), no unpaired surrogate, and at most
    /// <paramref name="maxLength"/> UTF-16 characters. Line breaks and tabs are allowed only when
    /// <paramref name="allowLineBreaks"/> (free text such as a description).</summary>
    public static bool IsCleanText(ReadOnlySpan<char> value, int maxLength, bool allowLineBreaks = false)
    {
        if (value.Length > maxLength)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < ' ' || c is >= '\u007f' and <= '\u009f')
            {
                if (!(allowLineBreaks && c is '\n' or '\r' or '\t'))
                {
                    return false;
                }
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why <see cref="IsCleanText"/> refused a value, in words for a problem body.</summary>
    public static string Explain(string field, int maxLength, bool allowLineBreaks = false) =>
        $"'{field}' must be at most {maxLength} characters of text without control characters{(allowLineBreaks ? " (line breaks and tabs allowed)" : "")} or unpaired surrogates.";
}
