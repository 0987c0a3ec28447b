using System.Data.Common;
using Dapper;
using Orian.Storage;

namespace Orian.Tests.Support;

/// <summary>
/// One test's database on one provider: the settings that run the service on it, its storage
/// opened directly (when a test must see what was, or was not, stored), and its removal.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _remove;
    private OrianStorage? _storage;

    internal TestDatabase(string provider, string connectionString, Func<ValueTask> remove)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _remove = remove;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    public Dictionary<string, string?> Settings => new()
    {
        ["Orian:Storage:Provider"] = Provider,
        ["Orian:Storage:ConnectionString"] = ConnectionString,
    };

    /// <summary>This database's storage, opened once and closed with it.</summary>
    public OrianStorage Storage => _storage ??= OrianStorage.Open(Provider, ConnectionString);

    /// <summary>A new storage on this database (the caller disposes it): a second instance, or a restart.</summary>
    public OrianStorage OpenStorage() => OrianStorage.Open(Provider, ConnectionString);

    /// <summary>The service on this database, with <paramref name="settings"/> on top.</summary>
    internal Task<TestService> StartServiceAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null)
    {
        var all = Settings;
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return TestService.StartAsync(all, services);
    }

    public async Task<DbConnection> ConnectAsync() => await Storage.Database.OpenAsync(CancellationToken.None);

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await ConnectAsync();
        return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException($"No value from: {sql}");
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await ConnectAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await ConnectAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        await _remove();
    }
}

/// <summary>
/// The base of a suite that runs against every provider: <typeparamref name="TProvider"/> is the
/// fixture's provider; databases made through <see cref="CreateDatabaseAsync"/> are removed after
/// each test.
/// </summary>
public abstract class ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private readonly List<TestDatabase> _databases = [];

    protected static TProvider Provider { get; } = new();

    internal async Task<TestDatabase> CreateDatabaseAsync(string label = "test")
    {
        var database = await ((ITestProvider)Provider).CreateAsync(label);
        _databases.Add(database);
        return database;
    }

    [TearDown]
    public async Task RemoveDatabases()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _databases.Clear();
    }
}
