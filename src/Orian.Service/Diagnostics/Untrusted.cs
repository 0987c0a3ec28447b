using System.Text;
using Orian.Edge;

namespace Orian.Service.Diagnostics;

/// <summary>
/// A string a client controls, on its way into a log line. Formatting it (only when the line is
/// written) escapes control characters and everything outside printable ASCII as <c>\uXXXX</c>, so
/// a path id holding <c>%0A</c> cannot forge a line; masks every card number in it (see <c>CardNumbers</c>), then
/// truncates it to <see cref="MaxChars"/>. Log methods take this type, not string, so a raw
/// client string cannot reach a log line by accident.
/// </summary>
internal readonly struct Untrusted(string? value, bool maskCards = true)
{
    public const int MaxChars = 80;

    /// <summary>Free text from a client (a path id, a content type, a masked PAN): escaped, cut, masked.</summary>
    public static Untrusted Text(string? value) => new(value);

    /// <summary>A transaction id or account number the parser has validated as an identifier:
    /// escaped like any client string, but not masked (see <c>CardNumbers</c>), so that logs can be
    /// searched by id.</summary>
    public static Untrusted Id(string? value) => new(value, maskCards: false);

    public override string ToString()
    {
        if (value is null)
        {
            return "(none)";
        }

        // Masked first, then cut: a card number that crosses the cut is still found whole.
        var masked = maskCards ? CardNumbers.Mask(value) : value;
        var text = masked.Length > MaxChars ? masked[..MaxChars] : masked;
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~' and not '\\')
            {
                builder.Append(c);
            }
            else if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else
            {
                builder.Append(@"\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (value.Length > MaxChars)
        {
            builder.Append("...(").Append(value.Length).Append(" chars)");
        }

        return builder.ToString();
    }
}
