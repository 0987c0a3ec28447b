using System.Data.Common;
using Dapper;
using Orian.Ledger;

namespace Orian.Storage;

/// <summary>
/// The parts of a SQL ledger that every provider shares: schema migration and the operator reads.
/// A provider adds how to connect, how to lock rows for a batch, and how to write a batch fast.
/// </summary>
public abstract class LedgerDatabase : ILedgerStore, ILedgerReader, IAuthorisationAdmin
{
    private readonly IReadOnlyList<SchemaScript> _scripts;

    protected LedgerDatabase(string scriptFolder)
    {
        DapperConfiguration.EnsureConfigured();
        _scripts = SchemaScript.For(scriptFolder);
    }

    public abstract StorageProvider Provider { get; }

    public abstract Task<ILedgerUnitOfWork> BeginAsync(CancellationToken cancellationToken);

    public abstract bool IsTransient(Exception exception);

    /// <summary>A new open connection (from the provider's pool).</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Starts a transaction that only one migrating process at a time may hold.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Applies, in order and each in its own transaction, the scripts not yet recorded in
    /// <c>schema_migrations</c>. Safe to run from several instances at once.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)",
            cancellationToken: cancellationToken)).ConfigureAwait(false);

        foreach (var script in _scripts)
        {
            await using var transaction = await BeginMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM schema_migrations WHERE id = @Id", new { script.Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (done > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (id, name, applied_at) VALUES (@Id, @Name, @At)",
                new { script.Id, script.Name, At = TimeProvider.System.GetUtcNow().ToString("O") }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<SchemaStatus> GetSchemaStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM schema_migrations", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new SchemaStatus((int)applied, _scripts.Count);
    }

    public async Task<AccountRecord?> GetAccountAsync(string accountNo, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<AccountRecord>(new CommandDefinition(
            "SELECT account_no, currency, exponent, posted, held, created_at, updated_at FROM accounts WHERE account_no = @accountNo",
            new { accountNo }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string accountNo, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JournalEntry>(new CommandDefinition(
            "SELECT id, transaction_id, version, account_no, kind, amount, currency, exponent, created_at FROM journal " +
            "WHERE account_no = @accountNo AND id > @afterId ORDER BY id LIMIT @limit",
            new { accountNo, afterId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<(TransactionState State, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)?> GetTransactionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(new CommandDefinition(
            $"SELECT {TransactionRow.Columns} FROM transactions WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : (row.ToState(), row.CreatedAt, row.UpdatedAt);
    }

    public async Task<IReadOnlyList<VersionReceipt>> GetVersionsAsync(string transactionId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<VersionReceipt>(new CommandDefinition(
            "SELECT seq, version, outcome, flags, received_at FROM transaction_versions WHERE transaction_id = @transactionId ORDER BY seq LIMIT @limit",
            new { transactionId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<ControlsRow?> GetControlsAsync(string accountNo, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ControlsRow>(new CommandDefinition(
            $"SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no = @accountNo", new { accountNo }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task PutControlsAsync(ControlsRow controls, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(AuthorisationSql.UpsertControls, controls, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DecisionRow>> GetDecisionsAsync(string accountNo, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(
            $"SELECT {DecisionRow.Columns} FROM authorisation_decisions WHERE account_no = @accountNo ORDER BY decided_at DESC, transaction_id DESC LIMIT @limit",
            new { accountNo, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}
