using Dapper;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>What operators read of the ledger: accounts, journals, transactions, versions received.</summary>
public sealed class LedgerReads(SqlDatabase database, SchemaMigrator schema) : ILedgerReader
{
    private readonly string _journal =
        "SELECT id, transaction_id, version, account_no, kind, amount, currency, exponent, created_at FROM journal " +
        $"WHERE account_no = @accountNo AND id > @afterId ORDER BY id {database.Dialect.Page("@limit")}";

    private const string SelectAccount = "SELECT account_no, currency, exponent, posted, held, created_at, updated_at FROM accounts WHERE account_no = @accountNo";

    private static readonly string SelectTransaction = $"SELECT {TransactionRow.Columns} FROM transactions WHERE id = @id";

    private readonly string _countOverdrawn = $"SELECT count(*) FROM accounts WHERE {database.Dialect.Overdrawn}";

    private readonly string _versions =
        $"SELECT seq, version, outcome, flags, received_at FROM transaction_versions WHERE transaction_id = @transactionId ORDER BY seq {database.Dialect.Page("@limit")}";

    public Task<SchemaStatus> GetSchemaStatusAsync(CancellationToken cancellationToken) => schema.GetStatusAsync(cancellationToken);

    public async Task<long> CountOverdrawnAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForOperatorReadAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            _countOverdrawn, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<AccountRecord?> GetAccountAsync(string accountNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForOperatorReadAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRecord>(new CommandDefinition(
            SelectAccount,
            new { accountNo }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is not null)
        {
            LedgerInvariants.CheckAfterRead(new AccountState(row.AccountNo, row.Currency, row.Exponent, row.Posted, row.Held));
        }

        return row;
    }

    public async Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string accountNo, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForOperatorReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JournalEntry>(new CommandDefinition(
            _journal, new { accountNo, afterId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<(TransactionState State, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)?> GetTransactionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForOperatorReadAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(new CommandDefinition(
            SelectTransaction, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : (row.ToState(), row.CreatedAt, row.UpdatedAt);
    }

    public async Task<IReadOnlyList<VersionReceipt>> GetVersionsAsync(string transactionId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenForOperatorReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<VersionReceipt>(new CommandDefinition(
            _versions, new { transactionId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}
