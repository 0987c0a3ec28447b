using System.Reflection;

namespace Orian.Storage;

/// <summary>One schema script from <c>sql/{provider}/NNN_name.sql</c>, embedded in this assembly.
/// Scripts are applied in order of <see cref="Id"/> and never edited once released.</summary>
internal sealed record SchemaScript(int Id, string Name, string Sql)
{
    /// <summary>SHA-256 of the script's text, lower-case hex, line endings taken as LF (so a checkout
    /// that converts them does not count as an edit).</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal))));

    public static IReadOnlyList<SchemaScript> For(string folder)
    {
        var assembly = typeof(SchemaScript).Assembly;
        var prefix = $"sql/{folder}/";
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(resource[prefix.Length..]);
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), out var id))
            {
                throw new InvalidOperationException($"Schema script '{resource}' must be named NNN_description.sql.");
            }

            scripts.Add(new SchemaScript(id, name, Read(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Id.CompareTo(b.Id));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Id != i + 1)
            {
                throw new InvalidOperationException($"Schema scripts for {folder} must be numbered 1, 2, 3... without gaps; found {scripts[i].Name}.");
            }
        }

        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
