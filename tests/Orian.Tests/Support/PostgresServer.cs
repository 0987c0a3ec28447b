using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Orian.Tests.Support;

/// <summary>
/// The real PostgreSQL server of a test run. When <c>ORIAN_TEST_POSTGRES</c> names one (as
/// <c>.ci/run</c> does), tests use it; otherwise the first test that needs one starts a throw-away
/// cluster from the installed PostgreSQL binaries (about a second) and the run stops it at the end.
/// Each fixture gets a database of its own, so suites never see each other's rows.
/// </summary>
internal static class PostgresServer
{
    public const string EnvironmentVariable = "ORIAN_TEST_POSTGRES";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _adminConnectionString;
    private static string? _clusterDirectory;

    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var admin = await AdminConnectionStringAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant(); // at most 63 characters
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    public static async Task ExecuteAsAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await AdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> AdminConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _adminConnectionString ??= Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given
                ? given
                : StartCluster();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the cluster this run started (none when the server came from the environment).</summary>
    public static void StopIfStarted()
    {
        if (_clusterDirectory is null)
        {
            return;
        }

        RunAsPostgres($"'{PgBin("pg_ctl")}' -D '{_clusterDirectory}/data' -m immediate stop");
        try
        {
            Directory.Delete(_clusterDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A stray file left by the server; the directory is under /tmp and harmless.
        }
    }

    private static string StartCluster()
    {
        var directory = Directory.CreateTempSubdirectory("orian-pg-").FullName;
        var port = FreePort();
        RunAsPostgres($"chown -R postgres '{directory}' 2>/dev/null; true", asRoot: true);
        RunAsPostgres($"'{PgBin("initdb")}' -D '{directory}/data' -U orian --auth=trust >/dev/null");
        RunAsPostgres($"'{PgBin("pg_ctl")}' -D '{directory}/data' -o \"-p {port} -k '{directory}' -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200\" -l '{directory}/log' -w start >/dev/null");
        _clusterDirectory = directory;
        return $"Host=127.0.0.1;Port={port};Username=orian;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    internal static string PgBin(string tool)
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", tool)).FirstOrDefault(File.Exists)
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed (no {root}/*/bin/{tool}). Run the tests with scripts/test.sh, which installs it, or install it (apt-get install -y postgresql), or set {EnvironmentVariable}.");
    }

    /// <summary>PostgreSQL refuses to run as root: when we are root, run its tools as 'postgres'.</summary>
    internal static void RunAsPostgres(string command, bool asRoot = false)
    {
        var isRoot = Environment.UserName == "root";
        var start = isRoot && !asRoot
            ? new ProcessStartInfo("su", ["postgres", "-s", "/bin/bash", "-c", command])
            : new ProcessStartInfo("/bin/bash", ["-c", command]);
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {error}");
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
