using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace Orian.Tests.Support;

/// <summary>
/// What a hostile or broken client sends, as FsCheck generators over a valid body: hostile strings
/// (unpaired surrogates, NUL and other control characters, bidi overrides, card numbers, huge ones),
/// extreme and ill-typed numbers, wrong JSON types, removed and duplicated members, deep nesting,
/// truncation, byte flips and invalid UTF-8, odd content types and path ids.
/// </summary>
internal static partial class HostileInput
{
    /// <summary>String contents as they appear between the quotes of a JSON string.</summary>
    public static readonly string[] Strings =
    [
        @"\ud800", @"\udfff", @"x\ud800y", @"\udc00\ud800", @"\u0000", @"COMPLETE\u0000", @"\u0001", @"line\nbreak", @"\u007f", @"\u0085",
        @"\u202e", @"\ud83d\ude00", "4111111111111111", @"41111111111111\u00311", new string('a', 3000), "", " ", @"\""", "é", @"\u00e9", "APPROVED",
        "COMPLETE", "DEBIT", "CREDIT", "%0Afail: forged", @"\r\nERROR forged",
    ];

    public static readonly string[] Numbers =
    [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-1", "0", "1e3", "1.5", "1000000000000000", "1000000000000001",
        "99999999999999999999999", "-0", "1E400", "0.0000001",
    ];

    public static readonly string[] Values =
    [
        "null", "true", "false", "[]", "{}", "\"\"", "123", "[1,\"a\",{}]", "{\"amount\":1}", new string('[', 40) + new string(']', 40),
        new string('[', 5000) + new string(']', 5000),
    ];

    public static readonly string[] ContentTypes = ["application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain", "", "application/problem+json"];

    /// <summary>A mutation of a body, shown in FsCheck's counterexample.</summary>
    public sealed record Mutation(string Name, Func<byte[], byte[]> Apply)
    {
        public override string ToString() => Name;
    }

    /// <summary>One to three mutations of the members named <paramref name="stringKeys"/> and
    /// <paramref name="numberKeys"/>, then possibly a byte-level one.</summary>
    public static Gen<List<Mutation>> Mutations(string[] stringKeys, string[] numberKeys)
    {
        var keys = stringKeys.Concat(numberKeys).ToArray();
        var member = Gen.OneOf(
            from key in Gen.Elements(stringKeys) from s in Gen.Elements(Strings) from n in Gen.Choose(0, 2) select SetString(key, s, n),
            from key in Gen.Elements(numberKeys) from v in Gen.Elements(Numbers) from n in Gen.Choose(0, 4) select SetValue(key, v, n),
            from key in Gen.Elements(keys) from v in Gen.Elements(Values) from n in Gen.Choose(0, 2) select SetValue(key, v, n),
            from key in Gen.Elements(keys) from v in Gen.Elements(Numbers) from n in Gen.Choose(0, 2) select SetValue(key, v, n),
            from key in Gen.Elements(keys) from n in Gen.Choose(0, 2) select Remove(key, n),
            from key in Gen.Elements(keys) from s in Gen.Elements(Strings) select Duplicate(key, s),
            from depth in Gen.Choose(1, 300) select Nest(depth));
        var bytes = Gen.OneOf(
            from f in Gen.Choose(0, 1000) select Truncate(f / 1000.0),
            from f in Gen.Choose(0, 1000) from x in Gen.Choose(1, 255) select Flip(f / 1000.0, (byte)x),
            from f in Gen.Choose(0, 1000) from b in Gen.Elements<byte>(0x80, 0xBF, 0xC0, 0xC3, 0xED, 0xF5, 0xFF) select Insert(f / 1000.0, b));
        return from members in Gen.Choose(0, 3).SelectMany(n => member.ListOf(n))
               from raw in Gen.Frequency((3, Gen.Constant<Mutation?>(null)), (1, bytes.Select(m => (Mutation?)m)))
               select raw is null ? members.ToList() : [.. members, raw];
    }

    public static byte[] ApplyAll(string json, IEnumerable<Mutation> mutations) =>
        mutations.Aggregate(Encoding.UTF8.GetBytes(json), (body, m) => m.Apply(body));

    /// <summary>Path ids: the body's own id most of the time, else another or a hostile one
    /// (already percent-encoded for the URL).</summary>
    public static Gen<string?> PathIds() => Gen.Frequency(
        (6, Gen.Constant<string?>(null)),
        (1, Gen.Elements<string?>("OTHER", "x%0Afail%3A%20forged", "%00", "a%2Fb", "%E2%80%AE", "%ED%A0%80", "%C3%28", new string('p', 300), "%20", "4111111111111111")));

    private static Mutation SetString(string key, string content, int occurrence) =>
        new($"{key}[{occurrence}] = \"{Show(content)}\"", b => ReplaceValue(b, key, occurrence, "\"" + content + "\""));

    private static Mutation SetValue(string key, string value, int occurrence) =>
        new($"{key}[{occurrence}] = {Show(value)}", b => ReplaceValue(b, key, occurrence, value));

    private static Mutation Remove(string key, int occurrence) =>
        new($"remove {key}[{occurrence}]", b => ReplaceName(b, key, occurrence, key + "_gone"));

    private static Mutation Duplicate(string key, string content) =>
        new($"duplicate {key} = \"{Show(content)}\"", b => Utf8Edit(b, s => DuplicateMember(s, key, content)));

    private static Mutation Nest(int depth) =>
        new($"nest {depth}", b => Utf8Edit(b, s => s.Length > 0 && s[0] == '{' ? "{\"deep\":" + new string('[', depth) + new string(']', depth) + "," + s[1..] : s));

    private static Mutation Truncate(double at) => new($"truncate at {at:P0}", b => b[..(int)(b.Length * at)]);

    private static Mutation Flip(double at, byte x) => new($"flip byte at {at:P0} ^ {x:x2}", b =>
    {
        var copy = (byte[])b.Clone();
        if (copy.Length > 0)
        {
            copy[Math.Min(copy.Length - 1, (int)(copy.Length * at))] ^= x;
        }

        return copy;
    });

    private static Mutation Insert(double at, byte value) => new($"insert byte {value:x2} at {at:P0}", b =>
    {
        var i = (int)(b.Length * at);
        return [.. b[..i], value, .. b[i..]];
    });

    private static string Show(string s) => s.Length > 24 ? s[..24] + $"...({s.Length})" : s;

    private static byte[] Utf8Edit(byte[] body, Func<string, string> edit) =>
        System.Text.Unicode.Utf8.IsValid(body) ? Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(body))) : body;

    private static byte[] ReplaceValue(byte[] body, string key, int occurrence, string value) => Utf8Edit(body, s =>
    {
        var matches = MemberValue(key).Matches(s);
        if (matches.Count == 0)
        {
            return s;
        }

        var m = matches[occurrence % matches.Count];
        var v = m.Groups["value"];
        return s[..v.Index] + value + s[(v.Index + v.Length)..];
    });

    private static byte[] ReplaceName(byte[] body, string key, int occurrence, string name) => Utf8Edit(body, s =>
    {
        var matches = MemberValue(key).Matches(s);
        if (matches.Count == 0)
        {
            return s;
        }

        var m = matches[occurrence % matches.Count];
        return s[..m.Index] + "\"" + name + "\":" + s[(m.Index + key.Length + 3)..];
    });

    /// <summary>The member again, with a hostile value, right after the first one: in the same object.</summary>
    private static string DuplicateMember(string s, string key, string content)
    {
        var m = MemberValue(key).Match(s);
        if (!m.Success)
        {
            return s;
        }

        var end = m.Index + m.Length;
        return s[..end] + ",\"" + key + "\":\"" + content + "\"" + s[end..];
    }

    /// <summary>"key": followed by a string, a number, or a literal (objects are left whole).</summary>
    private static Regex MemberValue(string key) =>
        new("\"" + Regex.Escape(key) + "\"\\s*:\\s*(?<value>\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*|true|false|null|\\{\\}|\\[\\])", RegexOptions.CultureInvariant);
}
