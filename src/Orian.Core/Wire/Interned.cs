using System.Collections.Concurrent;
using System.Text;

namespace Orian.Wire;

/// <summary>
/// Short, endlessly repeated values (currency codes, scheme ids) turned into shared strings without
/// allocating on a hit. Bounded: once full, new values are simply allocated each time.
/// </summary>
internal static class Interned
{
    private const int MaxEntries = 4096;
    private static readonly ConcurrentDictionary<ulong, string> Values = new();

    /// <summary>Returns a shared string for values of up to 8 ASCII bytes; other values are allocated.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length is 0 or > 8)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        ulong key = (ulong)utf8.Length;
        foreach (var b in utf8)
        {
            if (b >= 0x80)
            {
                return Encoding.UTF8.GetString(utf8);
            }

            key = (key << 7) | b; // 7 bits a byte: 8 bytes + the length fit in 60 bits.
        }

        if (Values.TryGetValue(key, out var value))
        {
            return value;
        }

        value = Encoding.ASCII.GetString(utf8);
        if (Values.Count < MaxEntries)
        {
            Values.TryAdd(key, value);
        }

        return value;
    }
}
