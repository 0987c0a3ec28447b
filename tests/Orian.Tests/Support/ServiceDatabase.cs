using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Orian.Tests.Support;

/// <summary>
/// A database a test runs the service on, kept across restarts of the service, and opened directly
/// when a test must see what was (or was not) stored.
/// </summary>
internal sealed class ServiceDatabase
{
    private readonly Func<DbConnection> _connect;

    private ServiceDatabase(string provider, string connectionString, Func<DbConnection> connect)
    {
        Settings = new() { ["Orian:Storage:Provider"] = provider, ["Orian:Storage:ConnectionString"] = connectionString };
        _connect = connect;
    }

    public Dictionary<string, string?> Settings { get; }

    public static ServiceDatabase Sqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"orian-hostile-{Guid.NewGuid():N}.db");
        return new ServiceDatabase("sqlite", $"Data Source={file}", () => new SqliteConnection($"Data Source={file}"));
    }

    public static async Task<ServiceDatabase> PostgresAsync(string name)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync(name);
        return new ServiceDatabase("postgres", connectionString, () => new Npgsql.NpgsqlConnection(connectionString));
    }

    /// <summary>The service on this database, with <paramref name="settings"/> on top.</summary>
    public Task<TestService> StartServiceAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return TestService.StartAsync(all, services);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = _connect();
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value from: {sql}");
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = _connect();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = _connect();
        await connection.ExecuteAsync(sql, parameters);
    }
}
