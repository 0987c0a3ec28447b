using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orian.Ledger;

namespace Orian.Storage.Sqlite;

/// <summary>
/// The embedded ledger: one SQLite file, created on first start. SQLite allows one writer at a time,
/// so batches from every partition take turns through <see cref="_writeGate"/> (cheaper than letting
/// them spin on SQLITE_BUSY); readers run beside them in WAL mode.
/// </summary>
public sealed class SqliteLedgerDatabase : LedgerDatabase, IDisposable
{
    private static readonly object InitLock = new();
    private static bool _initialised;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteLedgerDatabase(string connectionString)
        : base("sqlite")
    {
        lock (InitLock)
        {
            if (!_initialised)
            {
                SQLitePCL.Batteries_V2.Init();
                _initialised = true;
            }
        }

        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        _connectionString = builder.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;"; // persistent: set once for the file
        command.ExecuteNonQuery();
    }

    public override StorageProvider Provider => StorageProvider.Sqlite;

    public string DataSource => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    public override async Task<ILedgerUnitOfWork> BeginAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection? connection = null;
        try
        {
            connection = (SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
            var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock now
            return new SqliteUnitOfWork(connection, transaction, _writeGate);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            _writeGate.Release();
            throw;
        }
    }

    public override bool IsTransient(Exception exception) =>
        exception is ConcurrencyException || exception is SqliteException { SqliteErrorCode: 5 or 6 }; // BUSY, LOCKED

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            // synchronous FULL: a commit is on disk before we acknowledge it (NORMAL could lose the
            // last commits on power loss). A 32 MiB page cache and memory-mapped reads keep the hot
            // B-tree pages out of read() calls; pooled connections keep their cache between batches.
            command.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; " +
                "PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public void Dispose() => _writeGate.Dispose();
}
