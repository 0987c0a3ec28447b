using System.Text;
using System.Text.Json;

namespace Orian.Cli.Replay;

/// <summary>One ORIAN transaction read from a file, with where it came from.</summary>
/// <param name="Location">"file:line" of the object's opening brace.</param>
/// <param name="Key">What orders it: the PPS account it moves (or its id when it names none).
/// Events with one key are sent one after another, as PPS sends them.</param>
public sealed record ReplayEvent(string Id, long Version, string? Status, string Json, string Location, string Key);

/// <summary>Something in a file that cannot be sent, with where it is.</summary>
public sealed record SourceError(string Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>
/// Reads ORIAN transactions from <c>.json</c> files (one object, or an array of objects) and
/// <c>.jsonl</c> files (one object per line), given as files or folders (searched recursively, in
/// name order). Every event is located by file and line so that errors can say where to look.
/// </summary>
public static class EventSource
{
    public static (IReadOnlyList<ReplayEvent> Events, IReadOnlyList<SourceError> Errors) Read(IEnumerable<string> paths)
    {
        var events = new List<ReplayEvent>();
        var errors = new List<SourceError>();
        foreach (var file in Expand(paths, errors))
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new SourceError(file, e.Message));
                continue;
            }

            if (file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            {
                ReadLines(file, bytes, events, errors);
            }
            else
            {
                ReadDocument(file, bytes, events, errors);
            }
        }

        return (events, errors);
    }

    /// <summary>The files to read: files as given, folders searched for .json and .jsonl (not the
    /// samples' <c>*.expected.json</c> files, which describe results rather than hold events).</summary>
    private static IEnumerable<string> Expand(IEnumerable<string> paths, List<SourceError> errors)
    {
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                yield return path;
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                             .Where(IsEventFile)
                             .Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else
            {
                errors.Add(new SourceError(path, "no such file or folder"));
            }
        }
    }

    public static bool IsEventFile(string file) =>
        (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        && !file.EndsWith(".expected.json", StringComparison.OrdinalIgnoreCase);

    private static void ReadLines(string file, byte[] bytes, List<ReplayEvent> events, List<SourceError> errors)
    {
        var line = 0;
        foreach (var text in Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var location = $"{file}:{line}";
            try
            {
                using var document = JsonDocument.Parse(text);
                Add(document.RootElement, location, events, errors);
            }
            catch (JsonException e)
            {
                errors.Add(new SourceError(location, $"not valid JSON ({FirstSentence(e.Message)})"));
            }
        }
    }

    private static void ReadDocument(string file, byte[] bytes, List<ReplayEvent> events, List<SourceError> errors)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var lines = new LineCounter(bytes);
        try
        {
            if (!reader.Read())
            {
                errors.Add(new SourceError($"{file}:1", "the file is empty"));
                return;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var location = $"{file}:{lines.At(reader.TokenStartIndex)}";
                    using var element = JsonDocument.ParseValue(ref reader);
                    Add(element.RootElement, location, events, errors);
                }
            }
            else
            {
                var location = $"{file}:{lines.At(reader.TokenStartIndex)}";
                using var element = JsonDocument.ParseValue(ref reader);
                Add(element.RootElement, location, events, errors);
            }

            if (reader.Read())
            {
                errors.Add(new SourceError($"{file}:{lines.At(reader.TokenStartIndex)}", "unexpected content after the JSON value"));
            }
        }
        catch (JsonException e)
        {
            errors.Add(new SourceError($"{file}:{(e.LineNumber ?? 0) + 1}", $"not valid JSON ({FirstSentence(e.Message)})"));
        }
    }

    private static void Add(JsonElement element, string location, List<ReplayEvent> events, List<SourceError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new SourceError(location, "expected an ORIAN transaction (a JSON object)"));
            return;
        }

        if (!element.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString()))
        {
            errors.Add(new SourceError(location, "$.id: a non-empty string is required"));
            return;
        }

        if (!element.TryGetProperty("version", out var version) || !version.TryGetInt64(out var v))
        {
            errors.Add(new SourceError(location, "$.version: an integer is required"));
            return;
        }

        var status = element.TryGetProperty("txn_lifecycle_status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        events.Add(new ReplayEvent(id.GetString()!, v, status, element.GetRawText(), location, AccountOf(element) ?? "id:" + id.GetString()));
    }

    /// <summary>The account the event moves: the payee's for a credit, else the payer's.</summary>
    private static string? AccountOf(JsonElement element)
    {
        var credit = element.TryGetProperty("txn_type", out var type) && type.ValueKind == JsonValueKind.Object
            && type.TryGetProperty("direction", out var direction) && direction.ValueKind == JsonValueKind.String && direction.GetString() == "CREDIT";
        foreach (var party in credit ? ["payee", "payer"] : new[] { "payer", "payee" })
        {
            if (element.TryGetProperty(party, out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("account", out var account) && account.ValueKind == JsonValueKind.Object
                && account.TryGetProperty("account_no", out var no) && no.ValueKind == JsonValueKind.String)
            {
                return "account:" + no.GetString();
            }
        }

        return null;
    }

    /// <summary>Line numbers of byte offsets, for offsets that only move forward.</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private long _offset;
        private int _line = 1;

        public int At(long offset)
        {
            for (; _offset < offset && _offset < bytes.Length; _offset++)
            {
                if (bytes[_offset] == (byte)'\n')
                {
                    _line++;
                }
            }

            return _line;
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
