using Dapper;
using System.Data.Common;
using Orian.Ledger;

namespace Orian.Storage.Sql;

/// <summary>
/// One provider's database: how to connect, how to begin the transactions the features write in,
/// how to write a ledger batch fast, which failures are worth a retry, and its <see cref="Dialect"/>.
/// The features (ledger, authorisation, outbox, links, schema) are written once over this.
/// </summary>
public abstract class SqlDatabase : IAsyncDisposable
{
    protected SqlDatabase()
    {
        DapperConfiguration.EnsureConfigured();
    }

    /// <summary>The provider's name in configuration (<c>Orian:Storage:Provider</c>) and its
    /// schema scripts' folder under <c>sql/</c>.</summary>
    public abstract string Name { get; }

    public abstract SqlDialect Dialect { get; }

    /// <summary>The host written to, where the provider can tell (PostgreSQL; a file has no host).</summary>
    public WriterHost Writer { get; } = new();

    /// <summary>A new open connection (from the provider's pool).</summary>
    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A connection for the operator API's ledger reads (accounts, journals, transactions, the
    /// overdrawn count): the primary's, unless <c>Orian:Storage:OperatorReadConnectionString</c> names a
    /// standby, whose reads may trail the last acknowledgements by its replay lag.</summary>
    public virtual ValueTask<DbConnection> OpenForOperatorReadAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>A read-write transaction outside the ledger's batches (outbox, links, confirmations,
    /// controls). On SQLite it takes its turn with the ledger's batches on the one writer connection.</summary>
    public abstract Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>As <see cref="BeginWriteAsync"/>, for work a cardholder waits on (a decision's
    /// confirmation): where writers take turns, it goes before waiting notification batches.</summary>
    public virtual Task<WriteScope> BeginUrgentWriteAsync(CancellationToken cancellationToken) => BeginWriteAsync(cancellationToken);

    /// <summary>One statement that writes and returns rows, committed on its own before this returns,
    /// for work a cardholder waits on (it goes first where writers take turns). A provider that can
    /// commit a single statement in the same round trip does (PostgreSQL); the others run it in a
    /// transaction of its own. Either way a commit only on a primary is not a commit (it throws).</summary>
    public virtual async Task<IReadOnlyList<T>> WriteReturningAsync<T>(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var scope = await BeginUrgentWriteAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await scope.Connection.QueryAsync<T>(
            new CommandDefinition(sql, parameters, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>The transaction one ledger batch is applied in, with the provider's fast batch writes.
    /// <paramref name="priority"/> matters only where writers take turns (SQLite); elsewhere the
    /// database's row locks order the transactions that touch the same rows.</summary>
    public abstract Task<ILedgerUnitOfWork> BeginLedgerAsync(LedgerPriority priority, CancellationToken cancellationToken);

    /// <summary>Writes rows in <paramref name="scope"/>'s transaction with the provider's batch writes
    /// (the same statements a ledger batch's tables get from their maps): <paramref name="writes"/> hands
    /// each <see cref="TableWrite{TRow}"/> and its rows to the writer, in order; <paramref name="at"/> is
    /// the batch time of columns that take one. A counted write that falls short throws
    /// <see cref="Ledger.ConcurrencyException"/>.</summary>
    public abstract Task WriteRowsAsync(WriteScope scope, DateTimeOffset at, Action<ITableWriter> writes, CancellationToken cancellationToken);

    /// <summary>Starts a transaction that only one migrating process at a time may hold.</summary>
    public abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The provider's half of the one classification of failures (<c>docs/edge.md</c>):
    /// true when another attempt can cure it.</summary>
    public abstract bool IsTransient(Exception exception);

    public abstract ValueTask DisposeAsync();
}

/// <summary>A connection with an open write transaction; disposing ends both (or returns the
/// shared writer).</summary>
/// <param name="commit">How the provider commits, when it is more than the transaction's own commit
/// (PostgreSQL: never cancelled, and a commit only on the primary is not a commit).</param>
public sealed class WriteScope(DbConnection connection, DbTransaction transaction, Func<ValueTask> release, Func<Task>? commit = null) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;

    public Task CommitAsync(CancellationToken cancellationToken) => commit is null ? Transaction.CommitAsync(cancellationToken) : commit();

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await release().ConfigureAwait(false);
    }
}

/// <summary>
/// How a provider is chosen: one class per provider folder implements this, and
/// <see cref="StorageServices"/> finds it by <see cref="Name"/>. Adding a provider adds one of these.
/// </summary>
public interface ISqlProvider
{
    /// <summary>The value of <c>Orian:Storage:Provider</c> that selects this provider.</summary>
    string Name { get; }

    /// <summary>Opens the provider's database; a relative file path resolves against <paramref name="contentRoot"/>.
    /// <paramref name="operatorReadConnectionString"/>, where the provider supports it, is where the operator
    /// API's ledger reads go (a standby: <see cref="SqlDatabase.OpenForOperatorReadAsync"/>).</summary>
    SqlDatabase Create(string connectionString, string contentRoot, string? operatorReadConnectionString = null);

    /// <summary>Why the driver would refuse <paramref name="connectionString"/> (an unknown keyword, a value
    /// of the wrong type, options that cannot go together), without connecting; null when it would not.
    /// Checked with the rest of the configuration at start-up. The reason never repeats the string, which
    /// may hold a password.</summary>
    string? ConnectionStringProblem(string connectionString);
}
