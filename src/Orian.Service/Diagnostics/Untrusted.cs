using System.Text;
using Orian.Edge;

namespace Orian.Service.Diagnostics;

/// <summary>
/// A string a client controls, on its way into a log line. Formatting it (only when the line is
/// written) escapes control characters and everything outside printable ASCII as <c>\uXXXX</c>, so
/// a path id holding <c>%0A</c> cannot forge a line; truncates it to <see cref="MaxChars"/>; and
/// masks any run of digits that is a card number. Log methods take this type, not string, so a raw
/// client string cannot reach a log line by accident.
/// </summary>
internal readonly struct Untrusted(string? value)
{
    public const int MaxChars = 80;

    public static implicit operator Untrusted(string? value) => new(value);

    public override string ToString()
    {
        if (value is null)
        {
            return "(none)";
        }

        var text = CardNumbers.MaskRuns(value.Length > MaxChars ? value[..MaxChars] : value);
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
