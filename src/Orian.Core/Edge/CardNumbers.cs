using System.Buffers;
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
    public static bool IsPan(ReadOnlySpan<char> digits) =>
        digits.Length is >= MinLength and <= MaxLength && !digits.ContainsAnyExceptInRange('0', '9') && Scan(digits, []);

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

    /// <summary>
    /// Every run of whole groups in the chain <c>[start, end)</c> holding 13–19 digits. The Luhn sum of
    /// any run of digits comes from two prefix sums (one with the even digits doubled, one with the odd
    /// ones), chosen by the parity of the run's last digit: each candidate costs the same whatever its
    /// length, so a 64 KiB string of single-digit groups is scanned in linear time.
    /// </summary>
    private static bool ScanChain<T>(ReadOnlySpan<T> text, int start, int end, Span<bool> hide)
        where T : unmanaged, IBinaryInteger<T>
    {
        var length = end - start;
        var pool = ArrayPool<int>.Shared;
        var position = pool.Rent(length);         // text index of each digit
        var evenDoubled = pool.Rent(length + 1);  // prefix sums, digits at even indices doubled
        var oddDoubled = pool.Rent(length + 1);   // prefix sums, digits at odd indices doubled
        var groupStart = pool.Rent(length + 1);   // digit index where each group starts, and the end
        try
        {
            int digits = 0, groups = 0;
            evenDoubled[0] = oddDoubled[0] = 0;
            for (var i = start; i < end; i++)
            {
                if (!IsDigit(text[i]))
                {
                    continue;
                }

                if (i == start || !IsDigit(text[i - 1]))
                {
                    groupStart[groups++] = digits;
                }

                var d = int.CreateTruncating(text[i]) - '0';
                position[digits] = i;
                evenDoubled[digits + 1] = evenDoubled[digits] + LuhnTerm(d, doubled: (digits & 1) == 0);
                oddDoubled[digits + 1] = oddDoubled[digits] + LuhnTerm(d, doubled: (digits & 1) == 1);
                digits++;
            }

            groupStart[groups] = digits;
            var found = false;
            for (var g = 0; g < groups; g++)
            {
                for (var h = g + 1; h <= groups; h++)
                {
                    var (from, to) = (groupStart[g], groupStart[h]);
                    if (to - from > MaxLength)
                    {
                        break;
                    }

                    // Counted from the right, the last digit is undoubled, the one before it doubled...:
                    // digits whose index has the other parity than the last one's are doubled.
                    var sums = ((to - 1) & 1) == 1 ? evenDoubled : oddDoubled;
                    if (to - from < MinLength || (sums[to] - sums[from]) % 10 != 0)
                    {
                        continue;
                    }

                    found = true;
                    if (hide.IsEmpty)
                    {
                        return true;
                    }

                    for (var k = from + 6; k < to - 4; k++)
                    {
                        hide[position[k]] = true;
                    }
                }
            }

            return found;
        }
        finally
        {
            pool.Return(position);
            pool.Return(evenDoubled);
            pool.Return(oddDoubled);
            pool.Return(groupStart);
        }
    }

    private static bool IsDigit<T>(T c)
        where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(c) is >= '0' and <= '9';

    private static bool IsSeparator<T>(T c)
        where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(c) is ' ' or '-';
}
