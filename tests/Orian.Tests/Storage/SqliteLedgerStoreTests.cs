using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orian.Storage;
using Orian.Storage.Sqlite;

namespace Orian.Tests.Storage;

[TestFixture]
public sealed class SqliteLedgerStoreTests : LedgerStoreContract
{
    private string _file = "";

    protected override Task<LedgerDatabase> CreateDatabaseAsync()
    {
        _file = Path.Combine(Path.GetTempPath(), $"orian-test-{Guid.NewGuid():N}.db");
        return Task.FromResult<LedgerDatabase>(new SqliteLedgerDatabase($"Data Source={_file}"));
    }

    protected override async Task<DbConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={_file}");
        await connection.OpenAsync();
        return connection;
    }

    [TearDown]
    public void DeleteFile()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }
    }
}
