using System.Data.Common;
using Npgsql;
using Orian.Storage;
using Orian.Storage.Postgres;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

[TestFixture]
public sealed class PostgresLedgerStoreTests : LedgerStoreContract
{
    private string _connectionString = "";

    protected override async Task<LedgerDatabase> CreateDatabaseAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("store");
        return new PostgresLedgerDatabase(_connectionString);
    }

    protected override async Task<DbConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
