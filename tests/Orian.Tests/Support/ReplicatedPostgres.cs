using Npgsql;

namespace Orian.Tests.Support;

/// <summary>
/// A PostgreSQL primary with two standbys on loopback, made for one test from the installed binaries,
/// as Orian's documented production shape runs it: <c>synchronous_commit = on</c> and
/// <c>synchronous_standby_names = 'ANY 1 (orian_s1, orian_s2)'</c>, so every commit is on a second
/// machine before it returns, and after a failover the promoted standby still has one to confirm its
/// commits. The failures a test inflicts: every process of the primary killed with SIGKILL, a standby
/// promoted (the other made to follow it), standbys stopped and started.
/// <see cref="ConnectionString"/> names every host, as production does.
/// </summary>
internal sealed class ReplicatedPostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly int[] _ports;

    private ReplicatedPostgres(string directory, int[] ports)
    {
        _directory = directory;
        _ports = ports;
    }

    /// <summary>The port of node <c>0</c> (the first primary), <c>1</c> and <c>2</c> (the standbys).</summary>
    public int Port(int node) => _ports[node];

    private string Data(int node) => Path.Combine(_directory, $"node{node}");

    private static string Name(int node) => $"orian_s{node}";

    /// <summary>Every host, the primary wanted, hosts rechecked every second and connects bounded to
    /// two seconds (what <c>docs/operations.md</c> prescribes for a replicated database).</summary>
    public string ConnectionString =>
        $"Host={string.Join(',', _ports.Select(p => $"127.0.0.1:{p}"))};Username=orian;Database=postgres;Target Session Attributes=primary;"
        + "Host Recheck Seconds=1;Timeout=2;Maximum Pool Size=50";

    /// <summary>Every host, a standby wanted: where operator reads may go.</summary>
    public string PreferStandby =>
        $"Host={string.Join(',', _ports.Select(p => $"127.0.0.1:{p}"))};Username=orian;Database=postgres;Target Session Attributes=prefer-standby;"
        + "Host Recheck Seconds=1;Timeout=2;Maximum Pool Size=10";

    /// <summary>Stops (or resumes) a standby's replay of what it receives: it still confirms commits
    /// (synchronous_commit = on waits for its disk, not its replay) but shows none of them.</summary>
    public async Task ReplayAsync(int node, bool paused)
    {
        await using var connection = new NpgsqlConnection(Only(node));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One host alone, for reading what it holds.</summary>
    public string Only(int node) => $"Host=127.0.0.1;Port={Port(node)};Username=orian;Database=postgres;Pooling=false;Timeout=5";

    public static async Task<ReplicatedPostgres> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("orian-repl-").FullName;
        var cluster = new ReplicatedPostgres(directory, [FreePort(), FreePort(), FreePort()]);
        Run($"chown -R postgres '{directory}' 2>/dev/null; true", asRoot: true);
        Run($"'{Bin("initdb")}' -D '{cluster.Data(0)}' -U orian --auth=trust >/dev/null");
        await File.AppendAllTextAsync(Path.Combine(cluster.Data(0), "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {cluster.Port(0)}
            unix_socket_directories = '{directory}'
            max_connections = 200
            wal_level = replica
            max_wal_senders = 8
            synchronous_commit = on
            synchronous_standby_names = 'ANY 1 ({Name(0)}, {Name(1)}, {Name(2)})'
            """);
        cluster.Start(0);
        foreach (var node in new[] { 1, 2 })
        {
            Run($"'{Bin("pg_basebackup")}' -d 'host=127.0.0.1 port={cluster.Port(0)} user=orian application_name={Name(node)}' -D '{cluster.Data(node)}' -R -X stream >/dev/null");
            await File.AppendAllTextAsync(Path.Combine(cluster.Data(node), "postgresql.conf"), $"""

                port = {cluster.Port(node)}
                """);
            cluster.Start(node);
        }

        await cluster.WaitForStandbysAsync(primary: 0, count: 2);
        return cluster;
    }

    /// <summary>Returns once <paramref name="primary"/> has <paramref name="count"/> standbys streaming
    /// and counted for its synchronous quorum.</summary>
    public async Task WaitForStandbysAsync(int primary, int count)
    {
        await Until.TrueAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(Only(primary));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum') AND state = 'streaming'", connection);
            return (long)(await command.ExecuteScalarAsync())! >= count;
        }, $"{count} standbys streaming to node {primary}");
    }

    /// <summary>Every process of <paramref name="node"/>, killed with SIGKILL at once: its disk stays,
    /// its memory goes, and so does every commit no standby has.</summary>
    public void Kill(int node)
    {
        var postmaster = File.ReadLines(Path.Combine(Data(node), "postmaster.pid")).First().Trim();
        Run($"kill -9 {postmaster} $(pgrep -P {postmaster}) 2>/dev/null; true", asRoot: true);
    }

    /// <summary>What a failover manager does once the primary is gone: the standby that has received
    /// the most WAL is promoted (with a quorum of one, a commit may be on either standby, and only the
    /// more advanced has every one), and the other follows it. Returns the new primary.</summary>
    public async Task<int> FailoverAsync()
    {
        var received = new Dictionary<int, decimal>();
        foreach (var node in new[] { 1, 2 })
        {
            await using var connection = new NpgsqlConnection(Only(node));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_wal_lsn_diff(COALESCE(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), '0/0')", connection);
            received[node] = (decimal)(await command.ExecuteScalarAsync())!;
        }

        var promoted = received[1] >= received[2] ? 1 : 2;
        await PromoteAsync(promoted, follower: 3 - promoted);
        return promoted;
    }

    /// <summary><paramref name="node"/> becomes the primary (this waits until it accepts writes), and
    /// <paramref name="follower"/> streams from it from now on, so the new primary has a standby to
    /// confirm its commits.</summary>
    public async Task PromoteAsync(int node, int follower)
    {
        Run($"'{Bin("pg_ctl")}' -D '{Data(node)}' -w promote >/dev/null");
        await using (var connection = new NpgsqlConnection(Only(follower)))
        {
            await connection.OpenAsync();
            await using var repoint = new NpgsqlCommand(
                $"ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port={Port(node)} user=orian application_name={Name(follower)}'", connection);
            await repoint.ExecuteNonQueryAsync();
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
            await reload.ExecuteNonQueryAsync();
        }

        await WaitForStandbysAsync(node, 1);
    }

    /// <summary>Stops <paramref name="node"/> at once.</summary>
    public void Stop(int node) => Run($"'{Bin("pg_ctl")}' -D '{Data(node)}' -m immediate stop >/dev/null");

    public void Start(int node) => Run($"'{Bin("pg_ctl")}' -D '{Data(node)}' -l '{Path.Combine(_directory, $"node{node}.log")}' -w start >/dev/null");

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        for (var node = 0; node < _ports.Length; node++)
        {
            Run($"'{Bin("pg_ctl")}' -D '{Data(node)}' -m immediate stop >/dev/null 2>&1; true");
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file the server left behind: the folder is under /tmp
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }
    private static string Bin(string tool) => PostgresServer.PgBin(tool);

    private static void Run(string command, bool asRoot = false) => PostgresServer.RunAsPostgres(command, asRoot);

    private static int FreePort() => PostgresServer.FreePort();
}
