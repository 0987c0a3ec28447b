using System.Text.Json;
using Orian.Tests.Support;

namespace Orian.Tests.Setup;

/// <summary>
/// No package any project restores is in a known advisory: every packages.lock.json in the repository is
/// read, and each locked (package, version) is checked against docs/security/known-advisories.tsv. The
/// checker itself is tested with an injected entry, so a broken parser cannot pass everything silently.
/// </summary>
[TestFixture]
public sealed class DependencyAdvisoryTests
{
    [Test]
    public void Every_project_has_a_committed_lock_file()
    {
        var projects = ProjectFiles().ToList();
        Assert.That(projects, Is.Not.Empty);
        foreach (var project in projects)
        {
            var lockFile = Path.Combine(Path.GetDirectoryName(project)!, "packages.lock.json");
            Assert.That(File.Exists(lockFile), Is.True, $"{Path.GetRelativePath(Repository.Root, project)} has no packages.lock.json");
        }
    }

    [Test]
    public void No_locked_package_is_in_a_known_advisory()
    {
        var locked = LockedPackages();
        Assert.That(locked, Has.Count.GreaterThan(20), "the lock files were not read");
        var hits = Advisories.Matches(Advisories.Load(AdvisoryFile), locked);
        Assert.That(hits, Is.Empty, string.Join("\n", hits));
    }

    [Test]
    public void An_injected_advisory_against_a_locked_version_is_reported()
    {
        var locked = LockedPackages();
        var (id, version) = locked.First(p => p.Id == "Dapper");
        var injected = Advisories.Load(AdvisoryFile)
            .Append(Advisories.Parse($"{id}\t[{version}]\tTEST-0001\tinjected"))
            .Append(Advisories.Parse($"{id}\t(,{version})\tTEST-0002\tbelow the locked version"))
            .Append(Advisories.Parse($"{id}\t[{version},99.0.0)\tTEST-0003\tfrom the locked version on"))
            .ToList();

        var hits = Advisories.Matches(injected, locked);

        Assert.That(hits, Has.Some.Contains("TEST-0001"));
        Assert.That(hits, Has.None.Contains("TEST-0002"));
        Assert.That(hits, Has.Some.Contains("TEST-0003"));
    }

    [TestCase("[1.2.3]", "1.2.3", true)]
    [TestCase("[1.2.3]", "1.2.4", false)]
    [TestCase("(,2.1.7)", "2.1.4", true)]
    [TestCase("(,2.1.7)", "2.1.7", false)]
    [TestCase("[5.0.0,5.1.3)", "5.1.2", true)]
    [TestCase("[5.0.0,5.1.3)", "5.1.3", false)]
    [TestCase("[5.0.0,5.1.3)", "4.9.9", false)]
    [TestCase("(5.0.0,5.1.3]", "5.0.0", false)]
    [TestCase("(5.0.0,5.1.3]", "5.1.3", true)]
    [TestCase("[6.0.0,6.34.0)", "6.8.0", true)]
    [TestCase("[6.0.0,6.34.0)", "8.16.0", false)]
    [TestCase("(,3.50.2)", "3.35.5", true)]
    [TestCase("(,3.50.2)", "3.53.4", false)]
    [TestCase("[7.0.0,7.1.0)", "7.1.0-preview.1", true)]
    [TestCase("[7.0.0,7.1.0)", "7.0.0-preview.1", false)]
    [TestCase("[1.0,2.0)", "1.0.0.5", true)]
    public void Ranges_read_as_NuGet_intervals(string range, string version, bool inside) =>
        Assert.That(Advisories.Parse($"P\t{range}\tX\t").Contains(version), Is.EqualTo(inside));

    [TestCase("P\t1.2.3\tX\t")]
    [TestCase("P\t[1.2.3\tX\t")]
    [TestCase("P\t[a.b]\tX\t")]
    [TestCase("P\t[1.0,2.0,3.0)\tX\t")]
    [TestCase("P\t[1.2.3]")]
    public void A_malformed_row_is_refused_not_skipped(string row) =>
        Assert.That(() => Advisories.Parse(row), Throws.TypeOf<FormatException>());

    private static string AdvisoryFile => Path.Combine(Repository.Root, "docs", "security", "known-advisories.tsv");

    private static IEnumerable<string> ProjectFiles() =>
        Directory.EnumerateFiles(Repository.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj" or ".git"));

    private static List<(string Id, string Version)> LockedPackages()
    {
        var result = new HashSet<(string, string)>();
        foreach (var project in ProjectFiles())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(project)!, "packages.lock.json")));
            foreach (var framework in doc.RootElement.GetProperty("dependencies").EnumerateObject())
            {
                foreach (var package in framework.Value.EnumerateObject())
                {
                    if (package.Value.TryGetProperty("resolved", out var resolved))
                    {
                        result.Add((package.Name, resolved.GetString()!));
                    }
                }
            }
        }

        return [.. result];
    }

    /// <summary>One advisory row: a package id and the versions it covers.</summary>
    private sealed record Advisory(string Id, string Range, string Ids, Version? Low, bool LowIncluded, string? LowPre, Version? High, bool HighIncluded, string? HighPre)
    {
        public bool Contains(string version)
        {
            var (v, pre) = Advisories.ReadVersion(version);
            if (Low is not null)
            {
                var c = Advisories.Compare(v, pre, Low, LowPre);
                if (c < 0 || (c == 0 && !LowIncluded))
                {
                    return false;
                }
            }

            if (High is not null)
            {
                var c = Advisories.Compare(v, pre, High, HighPre);
                if (c > 0 || (c == 0 && !HighIncluded))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private static class Advisories
    {
        public static List<Advisory> Load(string path) =>
            [.. File.ReadLines(path).Where(l => l.Length > 0 && l[0] != '#').Select(Parse)];

        public static Advisory Parse(string row)
        {
            var cells = row.Split('\t');
            if (cells.Length < 3 || cells[0].Length == 0)
            {
                throw new FormatException($"advisory row needs package, range and advisory id: '{row}'");
            }

            var range = cells[1].Trim();
            if (range.Length < 3 || range[0] is not ('[' or '(') || range[^1] is not (']' or ')'))
            {
                throw new FormatException($"not an interval: '{range}'");
            }

            var bounds = range[1..^1].Split(',');
            if (bounds.Length == 1)
            {
                if (range[0] != '[' || range[^1] != ']')
                {
                    throw new FormatException($"an exact version is written [v]: '{range}'");
                }

                var (v, pre) = ReadVersion(bounds[0]);
                return new Advisory(cells[0], range, cells[2], v, true, pre, v, true, pre);
            }

            if (bounds.Length != 2)
            {
                throw new FormatException($"an interval has two bounds: '{range}'");
            }

            var (low, lowPre) = bounds[0].Trim().Length == 0 ? (null, null) : ReadVersion(bounds[0]);
            var (high, highPre) = bounds[1].Trim().Length == 0 ? (null, null) : ReadVersion(bounds[1]);
            return new Advisory(cells[0], range, cells[2], low, range[0] == '[', lowPre, high, range[^1] == ']', highPre);
        }

        public static (Version Version, string? Pre) ReadVersion(string text)
        {
            var t = text.Trim();
            var dash = t.IndexOf('-', StringComparison.Ordinal);
            var core = dash < 0 ? t : t[..dash];
            var pre = dash < 0 ? null : t[(dash + 1)..];
            if (!Version.TryParse(core.Contains('.', StringComparison.Ordinal) ? core : core + ".0", out var v))
            {
                throw new FormatException($"not a version: '{text}'");
            }

            return (Normalise(v), pre);
        }

        public static int Compare(Version a, string? aPre, Version b, string? bPre)
        {
            var c = a.CompareTo(b);
            if (c != 0)
            {
                return c;
            }

            // A pre-release sorts before its release.
            return (aPre, bPre) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                _ => string.Compare(aPre, bPre, StringComparison.OrdinalIgnoreCase),
            };
        }

        public static List<string> Matches(IEnumerable<Advisory> advisories, IEnumerable<(string Id, string Version)> locked) =>
        [
            .. from a in advisories
               from p in locked
               where string.Equals(a.Id, p.Id, StringComparison.OrdinalIgnoreCase) && a.Contains(p.Version)
               select $"{p.Id} {p.Version} is in {a.Range}: {a.Ids}",
        ];

        private static Version Normalise(Version v) =>
            new(v.Major, v.Minor, Math.Max(v.Build, 0), Math.Max(v.Revision, 0));
    }
}
