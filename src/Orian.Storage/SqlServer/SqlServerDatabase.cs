using System.Data.Common;
using Microsoft.Data.SqlClient;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage.SqlServer;

/// <summary>
/// The shared ledger on SQL Server or Azure SQL Database. As on PostgreSQL, several instances may
/// write at once: a batch locks the transaction and account rows it touches (<c>UPDLOCK, ROWLOCK,
/// HOLDLOCK</c>, so a transaction id not stored yet is locked too), writes each table in one
/// set-based statement over a JSON array, and checks every conditional write's row count on the
/// server. The database should run with <c>READ_COMMITTED_SNAPSHOT ON</c> (the README says why).
/// </summary>
public sealed class SqlServerDatabase : SqlDatabase
{
    private readonly string _connectionString;

    public SqlServerDatabase(string connectionString)
    {
        var builder = new SqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName) || builder.ApplicationName == new SqlConnectionStringBuilder().ApplicationName)
        {
            builder.ApplicationName = "orian"; // shows in sys.dm_exec_sessions
        }

        _connectionString = builder.ConnectionString;
    }

    public override string Name => SqlServerProvider.ProviderName;

    public override SqlDialect Dialect { get; } = new SqlServerDialect();

    /// <summary>Held by a migration's transaction, so one instance at a time migrates.</summary>
    private readonly string _migrationLock = new SqlServerDialect().TransactionLock("orian-migrations")!;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var (connection, transaction) = await BeginAsync(cancellationToken).ConfigureAwait(false);
        return new WriteScope(connection, transaction, () => connection.DisposeAsync());
    }

    public override async Task<ILedgerUnitOfWork> BeginLedgerAsync(LedgerPriority priority, CancellationToken cancellationToken)
    {
        var (connection, transaction) = await BeginAsync(cancellationToken).ConfigureAwait(false);
        return new SqlServerUnitOfWork(connection, transaction);
    }

    public override async Task WriteRowsAsync(WriteScope scope, DateTimeOffset at, Action<ITableWriter> writes, CancellationToken cancellationToken)
    {
        var batch = new SqlServerBatch();
        writes(batch);
        await batch.ExecuteAsync((SqlConnection)scope.Connection, (SqlTransaction)scope.Transaction, at, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _migrationLock;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }

    public override bool IsTransient(Exception exception) => SqlServerErrors.IsTransient(exception);

    public override ValueTask DisposeAsync()
    {
        SqlConnection.ClearPool(new SqlConnection(_connectionString));
        return ValueTask.CompletedTask;
    }

    private async Task<(SqlConnection, SqlTransaction)> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = (SqlConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (connection, (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
