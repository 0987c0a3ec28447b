using System.Text.Json;
using System.Text.Unicode;

namespace Orian.Edge;

/// <summary>
/// The rules every JSON body must meet before any of it is read, whatever endpoint it is for: valid
/// UTF-8, nesting within <see cref="MaxDepth"/>, and every escaped string or name decodable (no
/// unpaired surrogate) and free of NUL. System.Text.Json alone accepts such bodies and then throws
/// from whichever later call decodes the string; checking once here turns that into a 400.
/// </summary>
public static class JsonText
{
    public const int MaxDepth = 32;

    /// <summary>Null when <paramref name="utf8"/> is a JSON document meeting the rules; else why not.</summary>
    public static string? Check(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return "The body is not valid UTF-8.";
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
            while (reader.Read())
            {
                if (reader.ValueIsEscaped && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && CheckEscaped(ref reader) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }
        catch (JsonException e)
        {
            return $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).";
        }
    }

    /// <summary>For the current escaped string or property name: null when it decodes to text
    /// without NUL, else the reason in words.</summary>
    public static string? CheckEscaped(ref Utf8JsonReader reader)
    {
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "is not valid Unicode (an unpaired surrogate escape such as \\ud800)";
        }

        return text.Contains('\0', StringComparison.Ordinal) ? "contains a NUL character (\\u0000)" : null;
    }
}
