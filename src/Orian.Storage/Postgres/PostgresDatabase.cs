using System.Data.Common;
using Npgsql;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage.Postgres;

/// <summary>
/// The shared ledger on PostgreSQL. Several service instances may write at once: batches lock the
/// transaction and account rows they touch (<c>FOR UPDATE</c>, in key order so that two batches never
/// wait on each other in a cycle), and every write is conditional on what was read.
/// </summary>
public sealed class PostgresDatabase : SqlDatabase
{
    /// <summary>Key of the advisory lock that lets one instance at a time run schema scripts.</summary>
    private const long MigrationLockKey = 0x4f5249414e; // "ORIAN"

    private readonly NpgsqlDataSource _dataSource;

    private readonly NpgsqlDataSource? _operatorReads;

    public PostgresDatabase(string connectionString, string? operatorReadConnectionString = null)
    {
        _dataSource = NpgsqlDataSource.Create(Tuned(connectionString).ConnectionString);
        _operatorReads = string.IsNullOrWhiteSpace(operatorReadConnectionString) ? null : NpgsqlDataSource.Create(Tuned(operatorReadConnectionString).ConnectionString);
    }

    public override async ValueTask<DbConnection> OpenForOperatorReadAsync(CancellationToken cancellationToken) =>
        _operatorReads is null
            ? await OpenAsync(cancellationToken).ConfigureAwait(false)
            : await _operatorReads.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The connection string with Orian's defaults for what it leaves unset. A setting named in the
    /// string is kept as given, so each default can be turned off (behind pgbouncer in transaction mode,
    /// <c>Max Auto Prepare=0</c>: docs/capacity.md).</summary>
    internal static NpgsqlConnectionStringBuilder Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            // The ledger runs the same dozen statements all day: prepared once per connection, they
            // skip parsing and planning (measured: a one-event batch 3.9 ms -> 2.4 ms).
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        if (string.IsNullOrEmpty(builder.Options))
        {
            // Prepared statements would otherwise switch to a generic plan after five runs, and for
            // "id = ANY(@ids)" or a join on unnest(...) that can be a full scan: measured as a collapse
            // under load as the tables grew. Custom plans keep index lookups; parsing is still saved.
            // The ledger's batches, which run the same key lookups all day, plan generically under
            // settings of their own instead (PostgresUnitOfWork.PlanSettings).
            builder.Options = "-c plan_cache_mode=force_custom_plan";
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            // Nothing Orian does outlives its transaction on a connection (SET LOCAL, transaction-scoped
            // advisory locks, no LISTEN, no temporary tables), so the reset Npgsql sends with the first
            // statement after each checkout (SET SESSION AUTHORIZATION DEFAULT; RESET ALL) is work for
            // nothing: two statements per batch, measured as 1 % of the database's time under load.
            builder.NoResetOnClose = true;
        }

        return builder;
    }

    public override string Name => PostgresProvider.ProviderName;

    public override SqlDialect Dialect { get; } = new PostgresDialect();

    public override async Task<ILedgerUnitOfWork> BeginLedgerAsync(LedgerPriority priority, CancellationToken cancellationToken)
    {
        var connection = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The PostgreSQL half of the one classification of failures (<c>docs/edge.md</c>). The rule: a
    /// failure is transient when its cause lies outside the event, in a race or in the environment,
    /// so the same event can succeed later; it is not when the event's own data (class 22 data
    /// exception, class 23 constraint violation) or our code (class 42, XX000) caused it, since a
    /// retry would meet it again. Transient: a lost race (<see cref="ConcurrencyException"/>; 23505
    /// unique_violation, a row another instance inserted first; 40001 serialization_failure; 40P01
    /// deadlock_detected; 55P03 lock_not_available), a connection that failed or was cut (class 08;
    /// class 57, the server shutting down, starting or cancelling on a timeout; 55000, a database
    /// not accepting connections; an <see cref="NpgsqlException"/> without a server error, which is
    /// Npgsql's I/O and timeout failure), a server out of resources (class 53), a database an
    /// operator must fix (class 28 credentials, 3D000 no such database), and a commit no standby
    /// confirmed (<see cref="ReplicationInDoubtException"/>).
    /// </summary>
    /// <remarks>25006 (read_only_sql_transaction) is transient too: a connection that reached a primary
    /// which has since been demoted; the retry finds the new one. Classifying a failure as a lost
    /// connection (<see cref="IsConnectionLoss"/>) also tells <see cref="SqlDatabase.Writer"/> and
    /// clears the pool (at most once a second): after a failover every idle connection goes to a host
    /// that is gone or read-only, and each would otherwise fail one request before it is dropped.</remarks>
    public override bool IsTransient(Exception exception)
    {
        var transient = exception switch
        {
            ConcurrencyException or TimeoutException or ReplicationInDoubtException => true,
            PostgresException { SqlState: "40001" or "40P01" or "23505" or "55P03" or "55000" or "3D000" or "25006" } => true,
            PostgresException p => p.SqlState[..2] is "08" or "53" or "57" or "28",
            NpgsqlException => true,
            System.Net.Sockets.SocketException or IOException => true,
            _ => false,
        };
        if (transient && IsConnectionLoss(exception))
        {
            ConnectionLost();
        }

        return transient;
    }

    /// <summary>A failure that says the connection (or the server behind it) is gone, or is no longer
    /// the primary: class 08, an administrator or crash shutdown (57P01-57P03), 25006, and Npgsql's
    /// own I/O failures (a broken or refused socket), but not a command timeout.</summary>
    internal static bool IsConnectionLoss(Exception exception) => exception switch
    {
        PostgresException p => p.SqlState[..2] is "08" || p.SqlState is "57P01" or "57P02" or "57P03" or "25006",
        NpgsqlException { InnerException: TimeoutException } => false,
        NpgsqlException => true,
        System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };

    private long _clearedAt;

    private void ConnectionLost()
    {
        Writer.Lost();
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _clearedAt);
        if (now - last >= 1_000 && Interlocked.CompareExchange(ref _clearedAt, now, last) == last)
        {
            _dataSource.Clear();
        }
    }

    /// <summary>A connection to write on, its host observed (a failover moves it).</summary>
    private async Task<NpgsqlConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        Writer.Observe(connection.Host, connection.Port);
        return connection;
    }

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>In one round trip: the statement commits on its own (no BEGIN, no COMMIT message), and
    /// its wait for a standby is checked as a COMMIT's is (<see cref="PostgresCommit"/>). Once the
    /// connection is open, nothing cancels it.</summary>
    public override async Task<IReadOnlyList<T>> WriteReturningAsync<T>(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        return await PostgresCommit.QueryOnItsOwnAsync<T>(connection, sql, parameters).ConfigureAwait(false);
    }

    public override async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new WriteScope(connection, transaction, () => connection.DisposeAsync(), () => PostgresCommit.CommitAsync(connection, transaction));
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task WriteRowsAsync(WriteScope scope, DateTimeOffset at, Action<ITableWriter> writes, CancellationToken cancellationToken)
    {
        var rows = new PostgresWrites(at.UtcDateTime);
        writes(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await using var batch = rows.ToBatch((NpgsqlConnection)scope.Connection, (NpgsqlTransaction)scope.Transaction);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        rows.VerifyRowCounts(batch);
    }

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        if (_operatorReads is not null)
        {
            await _operatorReads.DisposeAsync().ConfigureAwait(false);
        }
    }
}
