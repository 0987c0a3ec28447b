using Orian.Storage;
using Orian.Storage.Postgres;
using Orian.Storage.Sqlite;

namespace Orian.Tests.Support;

/// <summary>Fresh ledger databases for contract tests, one per test, and their disposal.</summary>
internal static class TestDatabases
{
    public static LedgerDatabase Sqlite(string name) =>
        new SqliteLedgerDatabase($"Data Source={Path.Combine(Path.GetTempPath(), $"orian-{name}-{Guid.NewGuid():N}.db")}");

    public static async Task<LedgerDatabase> PostgresAsync(string name) =>
        new PostgresLedgerDatabase(await PostgresServer.CreateDatabaseAsync(name));

    public static async Task DisposeAsync(LedgerDatabase database)
    {
        switch (database)
        {
            case IAsyncDisposable d: await d.DisposeAsync(); break;
            case IDisposable d: d.Dispose(); break;
        }
    }
}
