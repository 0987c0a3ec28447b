using System.Data.Common;
using Npgsql;
using Orian.Ledger;

namespace Orian.Storage.Postgres;

/// <summary>
/// The shared ledger on PostgreSQL. Several service instances may write at once: batches lock the
/// transaction and account rows they touch (<c>FOR UPDATE</c>, in key order so that two batches never
/// wait on each other in a cycle), and every write is conditional on what was read.
/// </summary>
public sealed class PostgresLedgerDatabase : LedgerDatabase, IAsyncDisposable
{
    /// <summary>Key of the advisory lock that lets one instance at a time run schema scripts.</summary>
    private const long MigrationLockKey = 0x4f5249414e; // "ORIAN"

    private readonly NpgsqlDataSource _dataSource;

    public PostgresLedgerDatabase(string connectionString)
        : base("postgres")
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override StorageProvider Provider => StorageProvider.Postgres;

    public override async Task<ILedgerUnitOfWork> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresUnitOfWork(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override bool IsTransient(Exception exception) => exception switch
    {
        ConcurrencyException => true,
        // serialization_failure, deadlock_detected, unique_violation (a row another instance inserted first)
        PostgresException { SqlState: "40001" or "40P01" or "23505" } => true,
        _ => false,
    };

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
