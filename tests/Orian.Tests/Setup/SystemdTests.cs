using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Orian.Tests.Support;

namespace Orian.Tests.Setup;

/// <summary>
/// Orian as a systemd service: the unit in <c>deploy/</c> passes <c>systemd-analyze verify</c> (with no
/// warning, which the tool does not count as failure), and the service speaks systemd's notify protocol
/// (READY once started, STOPPING when told to stop) and writes the journal's line form, when run as
/// systemd runs it: a separate process whose parent is named <c>systemd</c> (how .NET tells; here a
/// copy of bash under that name) and <c>NOTIFY_SOCKET</c> a datagram socket this test listens on.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SystemdTests
{
    private static string Unit => Path.Combine(Repository.Root, "deploy", "orian.service");

    private static async Task<(int Code, string Output)> VerifyAsync(string unitText)
    {
        var dir = Directory.CreateTempSubdirectory("orian-unit-");
        try
        {
            // The unit runs /opt/orian/Orian.Service, which this machine does not have: an executable stands in.
            var executable = Path.Combine(dir.FullName, "Orian.Service");
            await File.WriteAllTextAsync(executable, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var unit = Path.Combine(dir.FullName, "orian.service");
            await File.WriteAllTextAsync(unit, unitText.Replace("/opt/orian/Orian.Service", executable, StringComparison.Ordinal));
            var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("verify");
            start.ArgumentList.Add(unit);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, (await output + await errors).Trim());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public async Task TheUnitFilePassesSystemdAnalyzeVerifyWithoutAWarning()
    {
        var text = await File.ReadAllTextAsync(Unit);
        Assert.That(text, Does.Contain("Type=notify"), "the service says when it is ready");
        var (code, output) = await VerifyAsync(text);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(output, Is.Empty, "not even a warning");

        // The check catches what it should: an unknown key is only a warning to systemd-analyze.
        var (_, broken) = await VerifyAsync(text.Replace("Type=notify", "Typ=notify", StringComparison.Ordinal));
        Assert.That(broken, Does.Contain("Unknown key"));
    }

    [Test]
    public async Task RunAsASystemdServiceItSaysReadyWhenStartedAndStoppingWhenStopped()
    {
        var dir = Directory.CreateTempSubdirectory("orian-systemd-");
        var socketPath = Path.Combine(Path.GetTempPath(), $"orian-notify-{Guid.NewGuid():N}"[..40] + ".sock");
        using var notifications = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notifications.Bind(new UnixDomainSocketEndPoint(socketPath));
        Process? service = null;
        try
        {
            // The service's parent must be named systemd: a copy of bash by that name starts it (two
            // commands, so bash forks rather than replacing itself with the first).
            var parent = Path.Combine(dir.FullName, "systemd");
            File.Copy("/bin/bash", parent);
            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var start = new ProcessStartInfo(parent) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("dotnet \"$0\" --urls http://127.0.0.1:0 --environment Development; exit $?");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Orian.Service.dll"));
            start.Environment["NOTIFY_SOCKET"] = socketPath;
            start.Environment["Orian__Storage__Provider"] = "sqlite";
            start.Environment["Orian__Storage__ConnectionString"] = $"Data Source={Path.Combine(dir.FullName, "orian.db")}";
            service = Process.Start(start)!;
            var output = new StringBuilder();
            service.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            service.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            service.BeginOutputReadLine();
            service.BeginErrorReadLine();

            Assert.That(await ReceiveAsync(notifications, TimeSpan.FromSeconds(90), output), Does.Contain("READY=1"), () => Text(output));
            // SIGTERM to the service itself, as systemd sends it on stop; its parent then exits with its code.
            var child = File.ReadAllText($"/proc/{service.Id}/task/{service.Id}/children").Trim();
            Assert.That(child, Does.Match("^[0-9]+$"), "the service runs as the parent's one child");
            using (var kill = Process.Start("kill", ["-TERM", child]))
            {
                await kill.WaitForExitAsync();
            }

            Assert.That(await ReceiveAsync(notifications, TimeSpan.FromSeconds(60), output), Does.Contain("STOPPING=1"), () => Text(output));
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await service.WaitForExitAsync(exit.Token);
            Assert.That(service.ExitCode, Is.EqualTo(0), () => Text(output));
            var lines = Text(output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.That(lines.Where(l => l.Contains("Applied schema script", StringComparison.Ordinal)), Is.Not.Empty.And.All.StartWith("<6>"),
                "the journal's form: each line led by its priority (6: Information)");
        }
        finally
        {
            if (service is { HasExited: false })
            {
                service.Kill(entireProcessTree: true);
            }

            service?.Dispose();
            File.Delete(socketPath);
            dir.Delete(recursive: true);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket, TimeSpan within, StringBuilder output)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(within);
        try
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no notification within {within.TotalSeconds:0} s; the service wrote:\n{Text(output)}");
            throw;
        }
    }
}
