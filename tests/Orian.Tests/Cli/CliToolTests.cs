using System.Diagnostics;
using System.Text.Json;
using Orian.Tests.Support;

namespace Orian.Tests.Cli;

/// <summary>
/// <c>orian</c> as a .NET tool, installed the way the README says: <c>dotnet pack</c> writes the package
/// to <c>artifacts/packages</c>, <c>dotnet tool install --configfile src/Orian.Cli/tool.nuget.config</c>
/// takes it from there alone (here into a temporary tool path, with an empty package cache, so that a
/// package installed earlier under the same version cannot stand in for this one), and the installed
/// command answers <c>--help</c> and reads a running service's status.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CliToolTests
{
    [Test]
    public async Task PackedAndInstalledAsAToolOrianRunsAgainstARunningService()
    {
        var dir = Directory.CreateTempSubdirectory("orian-tool-");
        try
        {
            var (packCode, packOutput) = await RunAsync(null, "dotnet", "pack", Path.Combine("src", "Orian.Cli"), "-c", "Release", "-nologo");
            Assert.That(packCode, Is.EqualTo(0), packOutput);
            var packages = Path.Combine(Repository.Root, "artifacts", "packages");
            Assert.That(Directory.GetFiles(packages, "Orian.Cli.*.nupkg"), Is.Not.Empty, "the tool package, where the README installs it from");

            var tools = Path.Combine(dir.FullName, "tools");
            var (installCode, installOutput) = await RunAsync(Path.Combine(dir.FullName, "nuget-cache"),
                "dotnet", "tool", "install", "Orian.Cli", "--tool-path", tools, "--configfile", Path.Combine("src", "Orian.Cli", "tool.nuget.config"));
            Assert.That(installCode, Is.EqualTo(0), installOutput);
            var orian = Path.Combine(tools, "orian");
            Assert.That(File.Exists(orian), installOutput);

            var (helpCode, help) = await RunAsync(null, orian, "--help");
            Assert.That(helpCode, Is.EqualTo(0), help);
            Assert.That(help, Does.Contain("replay").And.Contain("status").And.Contain("deliveries"));

            await using var service = await TestService.StartSqliteAsync();
            var (statusCode, status) = await RunAsync(null, orian, "status", "--json", "--target", service.Address.ToString(), "--api-key", service.OperatorKey);
            Assert.That(statusCode, Is.EqualTo(0), status);
            using var json = JsonDocument.Parse(status);
            Assert.That(json.RootElement.GetProperty("database").GetProperty("reachable").GetBoolean(), "the installed tool read the service's status");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <param name="packageCache">NuGet's package folder for this run (null: the machine's own).</param>
    private static async Task<(int Code, string Output)> RunAsync(string? packageCache, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The installed command's launcher finds the runtime the tests run on.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Environment.ProcessPath);
        }

        if (packageCache is not null)
        {
            start.Environment["NUGET_PACKAGES"] = packageCache;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
