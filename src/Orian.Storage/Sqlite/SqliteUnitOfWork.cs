using Dapper;
using Microsoft.Data.Sqlite;
using Orian.Authorisation;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage.Sqlite;

/// <summary>One SQLite write transaction. The write lock taken by <c>BEGIN IMMEDIATE</c> is what
/// "locking" rows means here. Each write statement is prepared once per batch and stepped per row
/// (<see cref="SqliteSql"/>), which on an in-process database costs microseconds.</summary>
internal sealed class SqliteUnitOfWork(SqliteConnection connection, SqliteTransaction transaction, Func<bool, ValueTask> release)
    : SqlUnitOfWork(connection, transaction)
{
    private bool _disposed;
    private bool _committed;

    public override async Task<LockedRows> LockAsync(
        IReadOnlyList<string> transactionIds, IReadOnlyList<string> accountNos, DateTimeOffset? authorisationDay, CancellationToken cancellationToken)
    {
        // In-process: separate statements cost microseconds, and BEGIN IMMEDIATE already holds the write lock.
        var transactions = await ReadTransactionsAsync(transactionIds, cancellationToken).ConfigureAwait(false);
        var all = new SortedSet<string>(accountNos, StringComparer.Ordinal);
        foreach (var state in transactions.Values)
        {
            if (state.Effect.AccountNo is { } effectAccount)
            {
                all.Add(effectAccount);
            }

            if (state.Effect is { CounterIsAccount: true, CounterAccount: { } payee })
            {
                all.Add(payee); // the payee leg of a stored transfer
            }
        }

        var accounts = await ReadAccountsAsync([.. all], cancellationToken).ConfigureAwait(false);
        var authorisation = authorisationDay is { } day
            ? await LoadAuthorisationDataAsync(accountNos, day, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, (AccountControls, long)>();
        // The fan-out's read: the subscriptions, and the links of the batch's transactions (the write
        // lock keeps them as read until the batch commits).
        var endpoints = await connection.QueryAsync<(string Id, string Events, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)>(new CommandDefinition(
            SubscriptionsRead, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var links = new List<InstructionLinkRow>();
        foreach (var chunk in transactionIds.Chunk(500))
        {
            links.AddRange(await connection.QueryAsync<InstructionLinkRow>(new CommandDefinition(
                LinksRead, new { chunk }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
        }

        return WithFanOut(new LockedRows(transactions, accounts, authorisation), endpoints, links);
    }

    private const string LinksRead = $"SELECT {InstructionLinkRow.Columns} FROM instruction_links WHERE transaction_id IN @chunk";

    private async Task<IReadOnlyDictionary<string, TransactionState>> ReadTransactionsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
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

    private async Task<IReadOnlyDictionary<string, AccountState>> ReadAccountsAsync(IReadOnlyList<string> accountNos, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, AccountState>(accountNos.Count, StringComparer.Ordinal);
        foreach (var chunk in accountNos.Chunk(500))
        {
            var rows = await connection.QueryAsync<AccountRecord>(new CommandDefinition(
                "SELECT account_no, currency, exponent, posted, held FROM accounts WHERE account_no IN @chunk", new { chunk }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var row in rows)
            {
                result[row.AccountNo] = LedgerInvariants.CheckAfterRead(new AccountState(row.AccountNo, row.Currency, row.Exponent, row.Posted, row.Held));
            }
        }

        return result;
    }

    private async Task<Dictionary<string, (AccountControls Controls, long SpentToday)>> LoadAuthorisationDataAsync(
        IReadOnlyList<string> accountNos, DateTimeOffset dayStart, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (AccountControls Controls, long SpentToday)>(StringComparer.Ordinal);
        foreach (var chunk in accountNos.Chunk(500))
        {
            var controls = await connection.QueryAsync<ControlsRow>(new CommandDefinition(
                $"SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no IN @chunk", new { chunk }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            // Spent today as it stands, where a daily limit will use it (the rule is written out
            // beside the PostgreSQL statement).
            var spent = await connection.QueryAsync<(string AccountNo, long Spent)>(new CommandDefinition(
                "SELECT effect_account, sum(effect_held + CASE WHEN effect_posted < 0 THEN -effect_posted ELSE 0 END) FROM transactions " +
                "WHERE effect_account IN (SELECT account_no FROM account_controls WHERE account_no IN @chunk AND daily_spend_limit IS NOT NULL) " +
                "AND created_at >= @dayStart AND (effect_held <> 0 OR effect_posted <> 0) GROUP BY effect_account",
                new { chunk, dayStart }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            AuthorisationData.Merge(result, controls, spent);
        }

        return result;
    }

    public override Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LedgerWrites.Each(changes, new SqliteTableWriter(connection, transaction, changes.At));
        return Task.CompletedTask;
    }

    public override async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _committed = true;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var broken = false;
        try
        {
            await transaction.DisposeAsync().ConfigureAwait(false); // rolls back if not committed
        }
        catch (SqliteException)
        {
            broken = true; // the rollback itself failed: do not reuse this connection
        }
        finally
        {
            // A batch that did not commit may have left the connection in any state: start afresh.
            await release(broken || !_committed).ConfigureAwait(false);
        }
    }
}
