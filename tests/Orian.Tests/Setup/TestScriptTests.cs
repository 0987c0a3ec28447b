using System.Diagnostics;
using Orian.Tests.Support;

namespace Orian.Tests.Setup;

/// <summary>
/// The README's test command (<c>scripts/test.sh</c>) on machines it has not seen: the PostgreSQL
/// location is hidden and <c>id</c>, <c>sudo</c>, <c>apt-get</c> and <c>dotnet</c> are stand-ins on
/// the PATH that record how they were called, so each branch runs for real without touching this
/// machine: install as root, install through sudo, the one-line refusal, nothing to install.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TestScriptTests
{
    private string _dir = "";
    private string _pgRoot = "";
    private string _calls = "";

    [SetUp]
    public void CreateStandIns()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"orian-setup-{Guid.NewGuid():N}");
        _pgRoot = Path.Combine(_dir, "postgresql");
        _calls = Path.Combine(_dir, "calls");
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(_pgRoot);
        File.WriteAllText(_calls, "");
        // apt-get "installs" by creating what Debian's package would: <root>/<version>/bin/initdb.
        Stub(bin, "apt-get", $"""
            echo "apt-get $*" >> '{_calls}'
            case "$*" in *install*postgresql*) mkdir -p '{_pgRoot}/16/bin' && touch '{_pgRoot}/16/bin/initdb' ;; esac
            """);
        Stub(bin, "dotnet", $"echo \"dotnet $*\" >> '{_calls}'");
        Stub(bin, "id", "if [ \"$1\" = -u ]; then echo \"$STUB_UID\"; else /usr/bin/id \"$@\"; fi");
        // sudo -n true answers as configured; sudo -n <command> runs the command (recorded).
        Stub(bin, "sudo", $"""
            [ "$STUB_SUDO" = yes ] || exit 1
            [ "$1" = -n ] && shift
            echo "sudo $*" >> '{_calls}'
            "$@"
            """);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private static void Stub(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    private (int Code, string Output) Run(string uid, bool sudo, params string[] args)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "test.sh"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PATH"] = $"{Path.Combine(_dir, "bin")}:/usr/bin:/bin";
        start.Environment["ORIAN_PG_ROOT"] = _pgRoot;
        start.Environment["STUB_UID"] = uid;
        start.Environment["STUB_SUDO"] = sudo ? "yes" : "no";
        start.Environment.Remove("ORIAN_TEST_POSTGRES");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    private string[] Calls() => File.ReadAllLines(_calls);

    [Test]
    public void AsRootMissingBinariesAreInstalledWithAptGet()
    {
        var (code, output) = Run("0", sudo: false, "--prepare");
        Assert.That(code, Is.Zero, output);
        Assert.That(Calls(), Does.Contain("apt-get update -qq").And.Some.Match("^apt-get install -y -qq postgresql$"));
        Assert.That(Calls(), Has.None.StartsWith("dotnet"), "--prepare builds nothing");
        Assert.That(output, Does.Contain("ready"));
    }

    [Test]
    public void WithSudoMissingBinariesAreInstalledThroughIt()
    {
        var (code, output) = Run("1000", sudo: true, "--prepare");
        Assert.That(code, Is.Zero, output);
        Assert.That(Calls(), Has.Some.Match("^sudo apt-get update").And.Some.Match("^sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql$"));
    }

    [Test]
    public void WithoutRootOrSudoItStopsAtOnceWithOneLineSayingWhatToInstall()
    {
        // The full command, not --prepare: it must stop before building anything.
        var (code, output) = Run("1000", sudo: false);
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output.Trim().Split('\n'), Has.Length.EqualTo(1), output);
        Assert.That(output, Does.Contain("sudo apt-get install -y postgresql").And.Contain("ORIAN_TEST_POSTGRES"));
        Assert.That(Calls(), Is.Empty, "nothing installed, nothing built");
    }

    [Test]
    public void WithTheBinariesPresentNothingIsInstalled()
    {
        Directory.CreateDirectory(Path.Combine(_pgRoot, "15", "bin"));
        File.WriteAllText(Path.Combine(_pgRoot, "15", "bin", "initdb"), "");
        var (code, output) = Run("1000", sudo: false, "--prepare");
        Assert.That(code, Is.Zero, output);
        Assert.That(Calls(), Is.Empty);
    }
}
