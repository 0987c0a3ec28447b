using System.Numerics;

namespace Orian.Edge;

/// <summary>
/// Card numbers (PANs) never leave the edge unmasked. A card number is 13 to 19 ASCII digits that
/// pass the Luhn check, written as one run or in groups with a single space or dash between them
/// (<c>4111 1111 1111 1111</c>, <c>4111-1111-1111-1111</c>, Amex's 4-6-5), anywhere in a text:
/// alone, inside free text, beside other groups of digits (<c>4111111111111111 2512</c>: the first
/// group is the number). It is shown as its first six and last four digits, the digits between
/// replaced by '*', separators kept: the form ORIAN's own <c>masked_pan</c> takes.
/// </summary>
/// <remarks>
/// A group of more than 19 digits is never part of a card number (a 23-digit acquirer reference is
/// not one), so a number is found only where its first and last digit meet a non-digit, a separator,
/// or the end of the text. Which JSON values are identifiers and keep their digits is
/// <see cref="StoredBody"/>'s rule; this type only finds and masks.
/// </remarks>
public static class CardNumbers
{
    public const int MinLength = 13;
    public const int MaxLength = 19;

    /// <summary>True for 13–19 ASCII digits passing the Luhn check (one run, no separators).</summary>
    public static bool IsPan(ReadOnlySpan<char> digits) => IsPan<char>(digits);

    /// <inheritdoc cref="IsPan(ReadOnlySpan{char})"/>
    public static bool IsPan(ReadOnlySpan<byte> digits) => IsPan<byte>(digits);

    private static bool IsPan<T>(ReadOnlySpan<T> digits)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (digits.Length is < MinLength or > MaxLength)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = int.CreateTruncating(digits[digits.Length - 1 - i]) - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            sum += LuhnTerm(d, doubled: (i & 1) == 1);
        }

        return sum % 10 == 0;
    }

    private static int LuhnTerm(int digit, bool doubled) => !doubled ? digit : digit * 2 > 9 ? digit * 2 - 9 : digit * 2;

    /// <summary>True when <paramref name="text"/> holds a card number in any of the shapes above.</summary>
    public static bool Contains(ReadOnlySpan<char> text) => Scan(text, []);

    /// <inheritdoc cref="Contains(ReadOnlySpan{char})"/>
    public static bool Contains(ReadOnlySpan<byte> utf8) => Scan(utf8, []);

    /// <summary>The text with every card number in it masked, or the same instance when it holds none.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Mask(string? text)
    {
        if (text is null || !Contains(text))
        {
            return text;
        }

        var hide = new bool[text.Length];
        Scan(text.AsSpan(), hide);
        return string.Create(text.Length, (text, hide), static (span, s) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = s.hide[i] ? '*' : s.text[i];
            }
        });
    }

    /// <summary>
    /// Finds every card number in <paramref name="text"/>; where <paramref name="hide"/> is not empty
    /// (one flag per element), marks the digits to mask. Returns whether any was found.
    /// </summary>
    /// <remarks>
    /// The text is read as chains of digit groups joined by single separators. In each chain every
    /// span of whole consecutive groups holding 13–19 digits is a candidate; a candidate that passes
    /// Luhn is a card number. A chain of n groups has at most 19·n candidates, so the scan is linear.
    /// </remarks>
    private static bool Scan<T>(ReadOnlySpan<T> text, Span<bool> hide)
        where T : unmanaged, IBinaryInteger<T>
    {
        var found = false;
        var i = 0;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAnyInRange(T.CreateTruncating('0'), T.CreateTruncating('9')); // vectorised for bytes and chars
            if (next < 0)
            {
                break;
            }

            i += next;
            var chainStart = i;
            var digits = 0;
            var end = i;
            while (true)
            {
                while (end < text.Length && IsDigit(text[end]))
                {
                    end++;
                    digits++;
                }

                if (end + 1 < text.Length && IsSeparator(text[end]) && IsDigit(text[end + 1]))
                {
                    end++;
                    continue;
                }

                break;
            }

            if (digits >= MinLength)
            {
                found |= ScanChain(text, chainStart, end, hide);
                if (found && hide.IsEmpty)
                {
                    return true;
                }
            }

            i = end;
        }

        return found;
    }

    /// <summary>Every run of whole groups in the chain <c>[start, end)</c> holding 13–19 digits.</summary>
    private static bool ScanChain<T>(ReadOnlySpan<T> text, int start, int end, Span<bool> hide)
        where T : unmanaged, IBinaryInteger<T>
    {
        var found = false;
        var groupStart = start;
        while (groupStart < end)
        {
            var digits = 0;
            var at = groupStart;
            while (at < end)
            {
                var groupEnd = at;
                while (groupEnd < end && IsDigit(text[groupEnd]))
                {
                    groupEnd++;
                }

                digits += groupEnd - at;
                if (digits > MaxLength)
                {
                    break;
                }

                if (digits >= MinLength && IsLuhnValid(text[groupStart..groupEnd]))
                {
                    found = true;
                    if (hide.IsEmpty)
                    {
                        return true;
                    }

                    HideMiddle(text, groupStart, groupEnd, hide);
                }

                at = groupEnd + 1; // past the separator
            }

            // The next group of the chain.
            while (groupStart < end && IsDigit(text[groupStart]))
            {
                groupStart++;
            }

            groupStart++;
        }

        return found;
    }

    /// <summary>Luhn over the digits of <paramref name="span"/>, separators skipped.</summary>
    private static bool IsLuhnValid<T>(ReadOnlySpan<T> span)
        where T : unmanaged, IBinaryInteger<T>
    {
        var sum = 0;
        var position = 0;
        for (var i = span.Length - 1; i >= 0; i--)
        {
            if (IsDigit(span[i]))
            {
                sum += LuhnTerm(int.CreateTruncating(span[i]) - '0', doubled: (position++ & 1) == 1);
            }
        }

        return sum % 10 == 0;
    }

    /// <summary>Marks every digit of the number in <c>[start, end)</c> but its first six and last four.</summary>
    private static void HideMiddle<T>(ReadOnlySpan<T> text, int start, int end, Span<bool> hide)
        where T : unmanaged, IBinaryInteger<T>
    {
        var total = 0;
        for (var i = start; i < end; i++)
        {
            total += IsDigit(text[i]) ? 1 : 0;
        }

        var index = 0;
        for (var i = start; i < end; i++)
        {
            if (IsDigit(text[i]))
            {
                hide[i] |= index >= 6 && index < total - 4;
                index++;
            }
        }
    }

    private static bool IsDigit<T>(T c)
        where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(c) is >= '0' and <= '9';

    private static bool IsSeparator<T>(T c)
        where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(c) is ' ' or '-';
}
