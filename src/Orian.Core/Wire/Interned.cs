using System.Collections.Concurrent;
using System.Text;

namespace Orian.Wire;

/// <summary>
/// Short values that repeat endlessly (statuses, currency codes, scheme ids, merchant categories,
/// product classes) turned into shared strings without allocating on a hit. Bounded: once full, new
/// values are simply allocated each time.
/// </summary>
internal static class Interned
{
    private const int MaxChars = 64;
    private const int MaxEntries = 4096;
    private static readonly ConcurrentDictionary<string, string> Values = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Values.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxChars)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxChars];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var key = chars[..length];
        if (Lookup.TryGetValue(key, out var value))
        {
            return value;
        }

        value = new string(key);
        if (Values.Count < MaxEntries)
        {
            Values.TryAdd(value, value);
        }

        return value;
    }
}
