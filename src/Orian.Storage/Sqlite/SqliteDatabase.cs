using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage.Sqlite;

/// <summary>
/// The embedded ledger: one SQLite file, created on first start. SQLite allows one writer at a time,
/// so batches from every partition take turns through <see cref="_turns"/> (cheaper than letting
/// them spin on SQLITE_BUSY) on one long-lived writer connection, configured once; a batch that
/// decides authorisations takes the next turn. Readers use pooled connections beside it in WAL mode.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private static readonly object InitLock = new();
    private static bool _initialised;
    private readonly string _connectionString;
    private readonly WriterTurns _turns = new();
    private SqliteConnection? _writer; // guarded by _turns

    public SqliteDatabase(string connectionString)
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

    public override string Name => SqliteProvider.ProviderName;

    public override SqlDialect Dialect { get; } = new SqliteDialect();

    public override async Task<ILedgerUnitOfWork> BeginLedgerAsync(LedgerPriority priority, CancellationToken cancellationToken)
    {
        var (writer, transaction) = await BeginOnWriterAsync(priority == LedgerPriority.Decision, cancellationToken).ConfigureAwait(false);
        return new SqliteUnitOfWork(writer, transaction, ReleaseWriter);
    }

    /// <summary>Waits for the writer's turn and begins a write transaction on it (BEGIN IMMEDIATE:
    /// the database write lock is taken now, not at the first write).</summary>
    private async Task<(SqliteConnection Writer, SqliteTransaction Transaction)> BeginOnWriterAsync(bool urgent, CancellationToken cancellationToken)
    {
        await _turns.EnterAsync(urgent, cancellationToken).ConfigureAwait(false);
        try
        {
            _writer ??= await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
            return (_writer, _writer.BeginTransaction(deferred: false));
        }
        catch
        {
            await ReleaseWriter(broken: true).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ends a unit of work: the writer stays open for the next one unless it failed, in which
    /// case it is closed and the next batch opens a fresh one.</summary>
    private async ValueTask ReleaseWriter(bool broken)
    {
        try
        {
            if (broken && _writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }
        }
        finally
        {
            _turns.Release();
        }
    }

    /// <summary>The writer: a pooled connection, plus the settings that only writing needs.
    /// synchronous FULL: a commit is on disk before we acknowledge it (NORMAL could lose the last
    /// commits on power loss). A 32 MiB page cache and memory-mapped reads keep the hot B-tree pages
    /// out of read() calls.</summary>
    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken) =>
        await ConfigureAsync((SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false),
            "PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY;", cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="pragmas"/> on an open connection; closes it if they fail.</summary>
    private static async Task<SqliteConnection> ConfigureAsync(SqliteConnection connection, string pragmas, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The SQLite half of the one classification of failures (<c>docs/edge.md</c>). Transient: a lost
    /// race (<see cref="ConcurrencyException"/>), SQLITE_BUSY (5) and SQLITE_LOCKED (6), and the
    /// file-system conditions an operator can cure: SQLITE_IOERR (10), SQLITE_FULL (13),
    /// SQLITE_CANTOPEN (14). Not transient: SQLITE_CONSTRAINT (19, a CHECK the data breaks),
    /// SQLITE_CORRUPT (11), SQLITE_TOOBIG (18), SQLITE_MISMATCH (20) and the rest.
    /// </summary>
    public override bool IsTransient(Exception exception) =>
        exception is ConcurrencyException or TimeoutException || exception is SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 or 14 };

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return await ConfigureAsync(connection, "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", cancellationToken).ConfigureAwait(false);
    }

    public override Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken) => BeginScopeAsync(urgent: false, cancellationToken);

    public override Task<WriteScope> BeginUrgentWriteAsync(CancellationToken cancellationToken) => BeginScopeAsync(urgent: true, cancellationToken);

    private async Task<WriteScope> BeginScopeAsync(bool urgent, CancellationToken cancellationToken)
    {
        var (writer, transaction) = await BeginOnWriterAsync(urgent, cancellationToken).ConfigureAwait(false);
        return new WriteScope(writer, transaction, () => ReleaseWriter(broken: false));
    }

    /// <summary>In this process: each statement prepared once and stepped per row, as a ledger batch's.</summary>
    public override Task WriteRowsAsync(WriteScope scope, DateTimeOffset at, Action<ITableWriter> writes, CancellationToken cancellationToken)
    {
        writes(new SqliteTableWriter((SqliteConnection)scope.Connection, (SqliteTransaction)scope.Transaction, at));
        return Task.CompletedTask;
    }

    public override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
