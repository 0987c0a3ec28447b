using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Orian.Tests.Support;

/// <summary>
/// A database the contract suites run against. Each suite is generic over its provider and lists
/// one fixture line per provider, in the style of Dapper's own tests:
/// <code>[TestFixture(typeof(Sqlite))] [TestFixture(typeof(Postgres))] [TestFixture(typeof(SqlServer))]</code>
/// </summary>
public interface ITestProvider
{
    /// <summary>The provider's name in <c>Orian:Storage:Provider</c>.</summary>
    string Name { get; }

    /// <summary>True where one write transaction at a time is all the database allows (SQLite), so
    /// no transaction can be held open while another commits.</summary>
    bool OneWriterAtATime => false;

    /// <summary>A query counting the sessions of the current database that wait for a lock another
    /// holds (a test waits on it to know a statement is blocked); null where no session ever waits for
    /// a row (one writer at a time).</summary>
    string? SessionsWaitingForALock => null;

    /// <summary>A fresh, empty database; <paramref name="label"/> shows in its name.</summary>
    internal Task<TestDatabase> CreateAsync(string label);
}

/// <summary>A SQLite file in the temp folder, deleted with its WAL and shared-memory files.</summary>
public sealed class Sqlite : ITestProvider
{
    public string Name => "sqlite";

    public bool OneWriterAtATime => true;

    Task<TestDatabase> ITestProvider.CreateAsync(string label)
    {
        var file = Path.Combine(Path.GetTempPath(), $"orian-{label}-{Guid.NewGuid():N}.db");
        return Task.FromResult(new TestDatabase(Name, $"Data Source={file}", () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try
                {
                    File.Delete(file + suffix);
                }
                catch (IOException)
                {
                    // still open somewhere: the temp folder keeps it
                }
            }

            return ValueTask.CompletedTask;
        }));
    }
}

/// <summary>A database on the PostgreSQL server of the run (<see cref="PostgresServer"/>), dropped afterwards.</summary>
public sealed class Postgres : ITestProvider
{
    public string SessionsWaitingForALock =>
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";

    public string Name => "postgres";

    async Task<TestDatabase> ITestProvider.CreateAsync(string label)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync(label);
        var name = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        return new TestDatabase(Name, connectionString, async () =>
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        });
    }
}

/// <summary>
/// A database on the SQL Server (or Azure SQL) that <c>ORIAN_TEST_SQLSERVER</c> names, with
/// <c>READ_COMMITTED_SNAPSHOT ON</c> as the README asks for, dropped afterwards. No SQL Server can
/// run on the build machines: without the variable every suite on this provider is skipped.
/// </summary>
public sealed class SqlServer : ITestProvider
{
    public const string EnvironmentVariable = "ORIAN_TEST_SQLSERVER";

    public string SessionsWaitingForALock =>
        "SELECT count(*) FROM sys.dm_exec_requests WHERE database_id = DB_ID() AND wait_type LIKE 'LCK%'";

    public string Name => "sqlserver";

    async Task<TestDatabase> ITestProvider.CreateAsync(string label)
    {
        var server = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(server))
        {
            Assert.Ignore($"SQL Server suites need {EnvironmentVariable} (a connection string to a server this run may create databases on).");
        }

        var name = $"orian_{label}_{Guid.NewGuid():N}";
        var admin = new SqlConnectionStringBuilder(server) { InitialCatalog = "master" }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE [{name}]; ALTER DATABASE [{name}] SET READ_COMMITTED_SNAPSHOT ON;");
        var connectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
        return new TestDatabase(Name, connectionString, async () =>
        {
            SqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}];");
        });
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The providers every contract suite runs against: the one list to extend when a provider is added.
/// A suite names it once, <c>[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]</c>,
/// and is generic over its provider (Dapper's matrix of <c>[TestFixture(typeof(...))]</c>, written once).
/// </summary>
public static class TestProviders
{
    public static IEnumerable<NUnit.Framework.Internal.TestFixtureParameters> All() =>
    [
        For<Sqlite>(),
        For<Postgres>(),
        For<SqlServer>(),
    ];

    private static NUnit.Framework.Internal.TestFixtureParameters For<T>()
        where T : ITestProvider, new() => new(new ProviderArguments(typeof(T)));

    /// <summary>A fixture of a generic suite with no constructor arguments, only its provider type.</summary>
    private sealed class ProviderArguments(Type provider) : NUnit.Framework.Interfaces.ITestFixtureData
    {
        public Type[] TypeArgs { get; } = [provider];
        public string? TestName => null;
        public NUnit.Framework.Interfaces.RunState RunState => NUnit.Framework.Interfaces.RunState.Runnable;
        public object?[] Arguments { get; } = [];
        public NUnit.Framework.Interfaces.IPropertyBag Properties { get; } = new NUnit.Framework.Internal.PropertyBag();
    }
}
