using System.Buffers;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Orian.Edge;

/// <summary>
/// What of a received ORIAN body Orian keeps: the document with every card number masked
/// (<see cref="CardNumbers"/>) wherever it sits (string values, member names, JSON numbers, any
/// depth), and every member that can only hold sensitive authentication data removed. Only the
/// values Orian parses as identifiers or amounts keep their digits (<see cref="Kept"/>). A body with
/// nothing to redact, the usual case, is stored as the bytes were received.
/// </summary>
/// <remarks>
/// <para>What was masked or removed is summarised in <see cref="Result.RedactionDigest"/>, a SHA-256
/// of every redacted member's path and original value, sorted. It is never stored as it is: the
/// ledger keys it like the payload hash, so that two versions whose stored bodies look alike but
/// differ in a masked or removed member are still told apart (a conflict), without the stored text
/// or its hash giving the member back.</para>
/// <para>The input is a document the parser accepted: valid UTF-8, at most 32 deep, every escape
/// decodable, every member Orian reads present once.</para>
/// </remarks>
public static class StoredBody
{
    /// <summary>Member names that can only hold sensitive authentication data (track data, card
    /// verification codes, PIN blocks, EMV and 3-D Secure cryptograms), compared in lower case with
    /// '_', '-' and ' ' left out: <c>CVV2</c>, <c>cvv_2</c> and <c>Track-2</c> are all found.</summary>
    public static readonly IReadOnlyList<string> SensitiveMembers =
    [
        "track", "trackdata", "track1", "track2", "track3", "track1data", "track2data", "track3data", "magstripe", "magstripedata",
        "cvv", "cvv2", "cvc", "cvc2", "cvn", "cvn2", "cvd", "cid", "csc", "cav2", "icvv", "dcvv", "cvc3", "dcvc3",
        "cardverificationvalue", "cardverificationcode", "cardsecuritycode", "securitycode",
        "pin", "pinblock", "encryptedpinblock", "pindata", "encryptedpin",
        "cryptogram", "applicationcryptogram", "emvcryptogram", "arqc", "arpc", "iccdata", "emvdata", "chipdata", "de55",
        "cavv", "tavv", "ucaf", "aav", "authenticationvalue",
    ];

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Sensitive =
        SensitiveMembers.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly int LongestSensitive = SensitiveMembers.Max(s => s.Length);

    /// <summary>(first letter, last letter, length) of every sensitive name: most names are refused
    /// on this alone, before a lookup.</summary>
    private static readonly bool[] SensitiveShapes = ShapesOf(SensitiveMembers);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>The redaction digest of a body with nothing redacted.</summary>
    public static ReadOnlySpan<byte> NothingRedacted => EmptyDigest;

    private static readonly byte[] EmptyDigest = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The stored text, and the digest of what was redacted from it.</summary>
    public readonly record struct Result(string Json, byte[] RedactionDigest)
    {
        public bool Redacted => !RedactionDigest.AsSpan().SequenceEqual(EmptyDigest);
    }

    /// <summary>The body as Orian stores it. <paramref name="id"/>, the top-level id the parser read,
    /// lets a body whose only card-number-like digits are that id (one PPS id in ten passes Luhn) skip
    /// the walk.</summary>
    public static Result Of(ReadOnlySpan<byte> json, string? id = null)
    {
        var scan = Scan(json);
        if (scan == Findings.Digits && id is not null && OnlyTheIdLooksLikeACardNumber(json, id))
        {
            scan = Findings.None;
        }

        if (scan == Findings.None || !Walk(json, null, scan))
        {
            return new Result(Encoding.UTF8.GetString(json), EmptyDigest);
        }

        var output = new ArrayBufferWriter<byte>(json.Length);
        var redactions = new Redactions();
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            Walk(json, new Rewrite(writer, redactions), scan);
        }

        return new Result(Encoding.UTF8.GetString(output.WrittenSpan), redactions.Digest());
    }

    /// <summary>Where in an ORIAN document a container sits, as far as <see cref="Kept"/> cares.</summary>
    private enum Node : byte { Other, Root, Party, Account, Phase, Amounts, Money, Currency, Result }

    /// <summary>The node a member's object value opens.</summary>
    private static Node Child(Node parent, ref Utf8JsonReader name) => parent switch
    {
        Node.Root when name.ValueTextEquals("payer"u8) || name.ValueTextEquals("payee"u8) => Node.Party,
        Node.Root when name.ValueTextEquals("authorisation"u8) || name.ValueTextEquals("clearing"u8) => Node.Phase,
        Node.Root when name.ValueTextEquals("txn_result"u8) => Node.Result,
        Node.Party when name.ValueTextEquals("account"u8) => Node.Account,
        Node.Phase when name.ValueTextEquals("txn_amounts"u8) => Node.Amounts,
        Node.Amounts when name.ValueTextEquals("requested_amount"u8) || name.ValueTextEquals("cardholder_amount"u8)
            || name.ValueTextEquals("cardholder_final_amount"u8) => Node.Money,
        Node.Result when name.ValueTextEquals("approved_amount"u8) => Node.Money,
        Node.Money when name.ValueTextEquals("currency"u8) => Node.Currency,
        _ => Node.Other,
    };

    /// <summary>
    /// The values that keep their digits, because Orian parses them and they are identifiers or
    /// numbers by contract: the top-level <c>id</c> and <c>version</c>, <c>payer.account.account_no</c>
    /// and <c>payee.account.account_no</c>, and the <c>amount</c> and currency <c>exponent</c> of the
    /// amounts Orian reads (<c>authorisation</c>/<c>clearing</c> <c>.txn_amounts.*</c>,
    /// <c>txn_result.approved_amount</c>). Every other value, an <c>id</c> deeper down included, is masked.
    /// </summary>
    private static bool Kept(Node parent, ref Utf8JsonReader name) => parent switch
    {
        Node.Root => name.ValueTextEquals("id"u8) || name.ValueTextEquals("version"u8),
        Node.Account => name.ValueTextEquals("account_no"u8),
        Node.Money => name.ValueTextEquals("amount"u8),
        Node.Currency => name.ValueTextEquals("exponent"u8),
        _ => false,
    };

    /// <summary>Whether a member name (decoded) is one of <see cref="SensitiveMembers"/>.</summary>
    public static bool IsSensitiveMember(ReadOnlySpan<byte> name)
    {
        if (name.Length > 2 * LongestSensitive)
        {
            return false;
        }

        Span<char> folded = stackalloc char[LongestSensitive];
        var length = 0;
        foreach (var b in name)
        {
            if (b is (byte)'_' or (byte)'-' or (byte)' ')
            {
                continue;
            }

            if (length == folded.Length || b > 0x7F)
            {
                return false;
            }

            folded[length++] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b);
        }

        return length >= 3 && SensitiveShapes[Shape(folded[0], folded[length - 1], length)] && Sensitive.Contains(folded[..length]);
    }

    private static int Shape(char first, char last, int length) => ((first & 0x7F) * 128 + (last & 0x7F)) * 32 + (length & 31);

    private static bool[] ShapesOf(IEnumerable<string> names)
    {
        var shapes = new bool[128 * 128 * 32];
        foreach (var name in names)
        {
            shapes[Shape(name[0], name[^1], name.Length)] = true;
        }

        return shapes;
    }

    /// <summary>What the byte scan found that the walk must look at.</summary>
    [Flags]
    private enum Findings : byte
    {
        None = 0,
        /// <summary>An escape: strings must be decoded before they are looked at.</summary>
        Escapes = 1,
        /// <summary>A card number somewhere in the bytes (perhaps in a value that keeps it).</summary>
        Digits = 2,
        /// <summary>A sensitive member name.</summary>
        Names = 4,
    }

    /// <summary>
    /// A byte scan that finds nothing only when <see cref="Walk"/> would find nothing, so that the
    /// usual body skips the walk: no escape (then every '"' delimits a string, and the bytes of a
    /// string are its value), no card number anywhere in the bytes (tokens cannot join into one: a
    /// quote, ':', ',', '[' or '{' always stands between them), and no member name (a string followed
    /// by ':') that is sensitive. A body whose top-level id happens to pass Luhn is walked.
    /// </summary>
    private static Findings Scan(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf((byte)'\\') >= 0)
        {
            return Findings.Escapes | Findings.Digits | Findings.Names;
        }

        var found = CardNumbers.Contains(json) ? Findings.Digits : Findings.None;
        var at = 0;
        while (true)
        {
            var open = json[at..].IndexOf((byte)'"');
            if (open < 0)
            {
                return found;
            }

            open += at;
            var close = json[(open + 1)..].IndexOf((byte)'"');
            if (close < 0)
            {
                return found;
            }

            close += open + 1;
            var after = close + 1;
            while (after < json.Length && json[after] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                after++;
            }

            if (after < json.Length && json[after] == ':' && IsSensitiveMember(json[(open + 1)..close]))
            {
                return found | Findings.Names;
            }

            at = close + 1;
        }
    }

    /// <summary>
    /// Whether the body holds no card number once its top-level id is set aside. Sound only for a
    /// body without escapes (the caller's scan found none): the id's value then appears as the bytes
    /// <c>"id"</c> wherever it is written, and if those bytes appear once, that one place is the
    /// top-level id, which keeps its digits.
    /// </summary>
    private static bool OnlyTheIdLooksLikeACardNumber(ReadOnlySpan<byte> json, string id)
    {
        if (id.Length > 128 || !System.Text.Ascii.IsValid(id))
        {
            return false;
        }

        Span<byte> quoted = stackalloc byte[id.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        System.Text.Ascii.FromUtf16(id, quoted[1..^1], out _);
        var at = json.IndexOf(quoted);
        if (at < 0 || json[(at + 1)..].IndexOf(quoted) >= 0)
        {
            return false;
        }

        var copy = ArrayPool<byte>.Shared.Rent(json.Length);
        try
        {
            json.CopyTo(copy);
            copy.AsSpan(at, quoted.Length).Fill((byte)'x');
            return !CardNumbers.Contains(copy.AsSpan(0, json.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>
    /// One walk of the document. Without <paramref name="rewrite"/> it only answers whether anything
    /// must be redacted, stopping at the first finding and allocating nothing for an unescaped body;
    /// with it, it writes the stored document and records each redaction. Member names are compared
    /// with the sensitive ones only where the <paramref name="scan"/> found one (or an escape).
    /// </summary>
    private static bool Walk(ReadOnlySpan<byte> json, Rewrite? rewrite, Findings scan)
    {
        var names = (scan & Findings.Names) != 0;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        Span<Node> open = stackalloc Node[ReaderOptions.MaxDepth + 1];
        var depth = 0;
        var next = Node.Root;
        var keep = false;
        var found = false;
        byte[]? rented = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        open[depth++] = reader.TokenType == JsonTokenType.StartArray ? Node.Other : next;
                        rewrite?.Open(reader.TokenType == JsonTokenType.StartArray);
                        next = Node.Other;
                        keep = false;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        rewrite?.Close(reader.TokenType == JsonTokenType.EndArray);
                        break;
                    case JsonTokenType.PropertyName:
                        var parent = open[depth - 1];
                        next = Child(parent, ref reader);
                        keep = Kept(parent, ref reader);
                        var nameBytes = Decoded(ref reader, ref rented);
                        if (names && IsSensitiveMember(nameBytes))
                        {
                            found = true;
                            if (rewrite is null)
                            {
                                return true;
                            }

                            rewrite.Remove(ref reader, Encoding.UTF8.GetString(nameBytes), json);
                            next = Node.Other;
                            keep = false;
                            break;
                        }

                        var nameHasPan = CardNumbers.Contains(nameBytes);
                        found |= nameHasPan;
                        if (found && rewrite is null)
                        {
                            return true;
                        }

                        rewrite?.Name(Encoding.UTF8.GetString(nameBytes), nameHasPan);
                        break;
                    case JsonTokenType.String:
                        var value = Decoded(ref reader, ref rented);
                        var valueHasPan = !keep && CardNumbers.Contains(value);
                        found |= valueHasPan;
                        if (found && rewrite is null)
                        {
                            return true;
                        }

                        rewrite?.String(Encoding.UTF8.GetString(value), valueHasPan);
                        keep = false;
                        break;
                    case JsonTokenType.Number:
                        var numberHasPan = !keep && CardNumbers.Contains(reader.ValueSpan);
                        found |= numberHasPan;
                        if (found && rewrite is null)
                        {
                            return true;
                        }

                        rewrite?.Number(reader.ValueSpan, numberHasPan);
                        keep = false;
                        break;
                    default:
                        rewrite?.Literal(reader.TokenType);
                        keep = false;
                        break;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return found;
    }

    /// <summary>The current string or name, unescaped (into a pooled buffer when it is escaped).</summary>
    private static ReadOnlySpan<byte> Decoded(ref Utf8JsonReader reader, ref byte[]? rented)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        if (rented is null || rented.Length < reader.ValueSpan.Length)
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        }

        var written = reader.CopyString(rented);
        return rented.AsSpan(0, written);
    }

    /// <summary>The second walk's output: the stored document, and the record of what left it.</summary>
    private sealed class Rewrite(Utf8JsonWriter writer, Redactions redactions)
    {
        private readonly List<string> _path = [];
        private readonly List<int> _index = [];
        private string? _name;

        public void Open(bool array)
        {
            if (array)
            {
                writer.WriteStartArray();
            }
            else
            {
                writer.WriteStartObject();
            }

            _path.Add(Here());
            _index.Add(array ? 0 : -1);
            _name = null;
        }

        public void Close(bool array)
        {
            if (array)
            {
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteEndObject();
            }

            _path.RemoveAt(_path.Count - 1);
            _index.RemoveAt(_index.Count - 1);
            Advance();
        }

        public void Name(string name, bool hasPan)
        {
            _name = name;
            var shown = hasPan ? CardNumbers.Mask(name)! : name;
            if (hasPan)
            {
                redactions.Add(Here() + "#name", name);
            }

            writer.WritePropertyName(shown);
        }

        /// <summary>Leaves out the member whose name the reader is on, with its value.</summary>
        public void Remove(ref Utf8JsonReader reader, string name, ReadOnlySpan<byte> json)
        {
            _name = name;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            string original;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
                original = Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
            }
            else
            {
                original = reader.TokenType == JsonTokenType.String ? "\"" + reader.GetString() : Encoding.UTF8.GetString(reader.ValueSpan);
            }

            redactions.Add(Here() + "#removed", original);
            _name = null;
        }

        public void String(string value, bool hasPan)
        {
            if (hasPan)
            {
                redactions.Add(Here(), value);
            }

            writer.WriteStringValue(hasPan ? CardNumbers.Mask(value) : value);
            Advance();
        }

        public void Number(ReadOnlySpan<byte> raw, bool hasPan)
        {
            if (hasPan)
            {
                // A JSON number cannot hold '*': the masked digits are stored as a string.
                var text = Encoding.ASCII.GetString(raw);
                redactions.Add(Here(), text);
                writer.WriteStringValue(CardNumbers.Mask(text));
            }
            else
            {
                writer.WriteRawValue(raw, skipInputValidation: true);
            }

            Advance();
        }

        public void Literal(JsonTokenType token)
        {
            switch (token)
            {
                case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                default: writer.WriteNullValue(); break;
            }

            Advance();
        }

        /// <summary>The path of the value about to be written: <c>$.payer.card.pan</c>, <c>$.list[2]</c>.</summary>
        private string Here() =>
            _path.Count == 0 ? "$" : _index[^1] >= 0 ? $"{_path[^1]}[{_index[^1]}]" : $"{_path[^1]}.{_name}";

        private void Advance()
        {
            if (_index.Count > 0 && _index[^1] >= 0)
            {
                _index[^1]++;
            }

            _name = null;
        }
    }

    /// <summary>Each redacted member's path and original value; their digest does not depend on the
    /// order of members in the document.</summary>
    private sealed class Redactions
    {
        private readonly List<string> _parts = [];

        public void Add(string path, string original) => _parts.Add(path + "\u0000" + original);

        public byte[] Digest()
        {
            _parts.Sort(StringComparer.Ordinal);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> length = stackalloc byte[4];
            foreach (var part in _parts)
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
                hash.AppendData(length);
                hash.AppendData(bytes);
            }

            return hash.GetHashAndReset();
        }
    }
}
