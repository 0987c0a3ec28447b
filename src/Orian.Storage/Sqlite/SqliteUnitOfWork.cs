using Dapper;
using Microsoft.Data.Sqlite;
using Orian.Authorisation;
using Orian.Ledger;

namespace Orian.Storage.Sqlite;

/// <summary>One SQLite write transaction. The write lock taken by <c>BEGIN IMMEDIATE</c> is what
/// "locking" rows means here. Statements run once per row on a reused prepared command, which on an
/// in-process database costs microseconds.</summary>
internal sealed class SqliteUnitOfWork(SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim writeGate) : ILedgerUnitOfWork
{
    private bool _disposed;

    public async Task<IReadOnlyDictionary<string, TransactionState>> LockTransactionsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, TransactionState>(ids.Count, StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await connection.QueryAsync<TransactionRow>(new CommandDefinition(
                $"SELECT {TransactionRow.Columns} FROM transactions WHERE id IN @chunk", new { chunk }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var row in rows)
            {
                result[row.Id] = row.ToState();
            }
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, AccountState>> LockAccountsAsync(IReadOnlyList<string> accountNos, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, AccountState>(accountNos.Count, StringComparer.Ordinal);
        foreach (var chunk in accountNos.Chunk(500))
        {
            var rows = await connection.QueryAsync<AccountRecord>(new CommandDefinition(
                "SELECT account_no, currency, exponent, posted, held FROM accounts WHERE account_no IN @chunk", new { chunk }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var row in rows)
            {
                result[row.AccountNo] = new AccountState(row.AccountNo, row.Currency, row.Exponent, row.Posted, row.Held);
            }
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, (AccountControls Controls, long SpentToday)>> LoadAuthorisationDataAsync(
        IReadOnlyList<string> accountNos, DateTimeOffset dayStart, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (AccountControls, long)>(StringComparer.Ordinal);
        foreach (var chunk in accountNos.Chunk(500))
        {
            var controls = await connection.QueryAsync<ControlsRow>(new CommandDefinition(
                $"SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no IN @chunk", new { chunk }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var spent = await connection.QueryAsync<(string AccountNo, long Spent)>(new CommandDefinition(
                "SELECT account_no, sum(hold_amount) FROM authorisation_decisions WHERE account_no IN @chunk AND decided_at >= @dayStart GROUP BY account_no",
                new { chunk, dayStart }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            AuthorisationData.Merge(result, controls, spent);
        }

        return result;
    }

    public async Task<Decision?> GetDecisionAsync(string transactionId, long version, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<DecisionRow>(new CommandDefinition(
            AuthorisationSql.SelectDecision, new { transactionId, version }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))?.ToDecision();

    public Task<string?> GetAppliedPayloadAsync(string transactionId, long version, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT raw_json FROM transaction_versions WHERE transaction_id = @transactionId AND version = @version AND outcome = 'applied'",
            new { transactionId, version }, transaction, cancellationToken: cancellationToken));

    public async Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken)
    {
        var inserts = changes.Transactions.Where(t => t.ExpectedVersion is null).Select(TransactionRow.Parameters).ToList();
        var updates = changes.Transactions.Where(t => t.ExpectedVersion is not null).Select(TransactionRow.Parameters).ToList();
        await ExpectRowsAsync(SqliteSql.InsertTransaction, inserts, "new transactions", cancellationToken).ConfigureAwait(false);
        await ExpectRowsAsync(SqliteSql.UpdateTransaction, updates, "transaction versions", cancellationToken).ConfigureAwait(false);

        var newAccounts = changes.Accounts.Where(a => a.IsNew).ToList();
        var changedAccounts = changes.Accounts.Where(a => !a.IsNew).ToList();
        await ExpectRowsAsync(SqliteSql.InsertAccount, newAccounts, "new accounts", cancellationToken).ConfigureAwait(false);
        await ExpectRowsAsync(SqliteSql.UpdateAccount, changedAccounts, "account balances", cancellationToken).ConfigureAwait(false);

        if (changes.Versions.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(SqliteSql.InsertVersion,
                changes.Versions.Select(v => new { v.TransactionId, v.Version, Outcome = v.Outcome.ToWire(), v.PayloadHash, Flags = (int)v.Flags, v.RawJson, v.ReceivedAt }),
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (changes.Decisions.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(AuthorisationSql.InsertDecision,
                changes.Decisions.Select(DecisionRow.From), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await ExpectRowsAsync(AuthorisationSql.RevokeDecision, changes.Revocations.Select(AuthorisationData.RevocationParameters).ToList(), "revoked decisions", cancellationToken).ConfigureAwait(false);

        if (changes.Journal.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(SqliteSql.InsertJournal,
                changes.Journal.Select(j => new { j.TransactionId, j.Version, j.AccountNo, Kind = j.Kind.ToWire(), j.Amount, j.Currency, j.Exponent, j.At }),
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task ExpectRowsAsync<T>(string sql, IReadOnlyCollection<T> rows, string what, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var affected = await connection.ExecuteAsync(new CommandDefinition(sql, rows, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (affected != rows.Count)
        {
            throw new ConcurrencyException($"Expected to write {rows.Count} {what}, wrote {affected}.");
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await transaction.DisposeAsync().ConfigureAwait(false); // rolls back if not committed
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            writeGate.Release();
        }
    }
}
