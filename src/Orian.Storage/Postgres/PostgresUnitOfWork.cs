using Dapper;
using Npgsql;
using Orian.Authorisation;
using Orian.Ledger;

namespace Orian.Storage.Postgres;

/// <summary>One PostgreSQL transaction for one batch. Reads lock rows; each kind of write is one
/// set-based statement over arrays (<c>unnest</c>), so a batch of hundreds of events costs a handful
/// of round trips. Every conditional write is checked by its row count.</summary>
internal sealed class PostgresUnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction) : ILedgerUnitOfWork
{
    public async Task<IReadOnlyDictionary<string, TransactionState>> LockTransactionsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<TransactionRow>(new CommandDefinition(
            $"SELECT {TransactionRow.Columns} FROM transactions WHERE id = ANY(@ids) ORDER BY id FOR UPDATE",
            new { ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.ToState(), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, AccountState>> LockAccountsAsync(IReadOnlyList<string> accountNos, CancellationToken cancellationToken)
    {
        if (accountNos.Count == 0)
        {
            return new Dictionary<string, AccountState>();
        }

        var rows = await connection.QueryAsync<AccountRecord>(new CommandDefinition(
            "SELECT account_no, currency, exponent, posted, held FROM accounts WHERE account_no = ANY(@accountNos) ORDER BY account_no FOR UPDATE",
            new { accountNos = accountNos.ToArray() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.AccountNo, r => new AccountState(r.AccountNo, r.Currency, r.Exponent, r.Posted, r.Held), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, (AccountControls Controls, long SpentToday)>> LoadAuthorisationDataAsync(
        IReadOnlyList<string> accountNos, DateTimeOffset dayStart, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (AccountControls, long)>(StringComparer.Ordinal);
        if (accountNos.Count == 0)
        {
            return result;
        }

        var ids = accountNos.ToArray();
        var controls = await connection.QueryAsync<ControlsRow>(new CommandDefinition(
            $"SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no = ANY(@ids)", new { ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var spent = await connection.QueryAsync<(string AccountNo, long Spent)>(new CommandDefinition(
            "SELECT account_no, sum(hold_amount)::bigint FROM authorisation_decisions WHERE account_no = ANY(@ids) AND decided_at >= @dayStart GROUP BY account_no",
            new { ids, dayStart }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        AuthorisationData.Merge(result, controls, spent);
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
        var at = changes.At;
        await WriteTransactionsAsync(changes.Transactions.Where(t => t.ExpectedVersion is null).ToList(), PostgresSql.InsertTransactions, "new transactions", cancellationToken).ConfigureAwait(false);
        await WriteTransactionsAsync(changes.Transactions.Where(t => t.ExpectedVersion is not null).ToList(), PostgresSql.UpdateTransactions, "transaction versions", cancellationToken).ConfigureAwait(false);
        await WriteAccountsAsync(changes.Accounts.Where(a => a.IsNew).ToList(), PostgresSql.InsertAccounts, "new accounts", cancellationToken).ConfigureAwait(false);
        await WriteAccountsAsync(changes.Accounts.Where(a => !a.IsNew).ToList(), PostgresSql.UpdateAccounts, "account balances", cancellationToken).ConfigureAwait(false);

        if (changes.Versions.Count > 0)
        {
            var v = changes.Versions;
            await connection.ExecuteAsync(new CommandDefinition(PostgresSql.InsertVersions, new
            {
                ids = v.Select(x => x.TransactionId).ToArray(),
                versions = v.Select(x => x.Version).ToArray(),
                outcomes = v.Select(x => x.Outcome.ToWire()).ToArray(),
                hashes = v.Select(x => x.PayloadHash).ToArray(),
                flags = v.Select(x => (int)x.Flags).ToArray(),
                raws = v.Select(x => x.RawJson).ToArray(),
                receivedAts = v.Select(x => x.ReceivedAt.UtcDateTime).ToArray(),
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (changes.Decisions.Count > 0)
        {
            // Few per batch (authorisations commit in small batches of their own): one row at a time.
            await connection.ExecuteAsync(new CommandDefinition(AuthorisationSql.InsertDecision,
                changes.Decisions.Select(DecisionRow.From), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (changes.Revocations.Count > 0)
        {
            var affected = await connection.ExecuteAsync(new CommandDefinition(AuthorisationSql.RevokeDecision,
                changes.Revocations.Select(AuthorisationData.RevocationParameters), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (affected != changes.Revocations.Count)
            {
                throw new ConcurrencyException($"Expected to revoke {changes.Revocations.Count} decisions, revoked {affected}.");
            }
        }

        if (changes.Journal.Count > 0)
        {
            var j = changes.Journal;
            await connection.ExecuteAsync(new CommandDefinition(PostgresSql.InsertJournal, new
            {
                ids = j.Select(x => x.TransactionId).ToArray(),
                versions = j.Select(x => x.Version).ToArray(),
                accounts = j.Select(x => x.AccountNo).ToArray(),
                kinds = j.Select(x => x.Kind.ToWire()).ToArray(),
                amounts = j.Select(x => x.Amount).ToArray(),
                currencies = j.Select(x => x.Currency).ToArray(),
                exponents = j.Select(x => (short)x.Exponent).ToArray(),
                at = at.UtcDateTime,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task WriteTransactionsAsync(List<TransactionWrite> writes, string sql, string what, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var s = writes.Select(w => w.State).ToList();
        var affected = await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            ids = s.Select(x => x.Id).ToArray(),
            versions = s.Select(x => x.Version).ToArray(),
            expected = writes.Select(w => w.ExpectedVersion ?? -1).ToArray(),
            hashes = s.Select(x => x.PayloadHash).ToArray(),
            statuses = s.Select(x => x.Status).ToArray(),
            results = s.Select(x => x.Result).ToArray(),
            details = s.Select(x => x.ResultDetail).ToArray(),
            directions = s.Select(x => x.Direction).ToArray(),
            types = s.Select(x => x.TxnType).ToArray(),
            schemes = s.Select(x => x.SchemeId).ToArray(),
            accounts = s.Select(x => x.AccountNo).ToArray(),
            amounts = s.Select(x => x.Amount?.Minor).ToArray(),
            currencies = s.Select(x => x.Amount?.Currency).ToArray(),
            exponents = s.Select(x => (short?)x.Amount?.Exponent).ToArray(),
            effectAccounts = s.Select(x => x.Effect.AccountNo).ToArray(),
            effectCurrencies = s.Select(x => x.Effect.Currency).ToArray(),
            effectExponents = s.Select(x => (short)x.Effect.Exponent).ToArray(),
            effectHelds = s.Select(x => x.Effect.Held).ToArray(),
            effectPosteds = s.Select(x => x.Effect.Posted).ToArray(),
            effectCounters = s.Select(x => x.Effect.CounterAccount).ToArray(),
            flags = s.Select(x => (int)x.Flags).ToArray(),
            at = writes[0].At.UtcDateTime,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (affected != writes.Count)
        {
            throw new ConcurrencyException($"Expected to write {writes.Count} {what}, wrote {affected}.");
        }
    }

    private async Task WriteAccountsAsync(List<AccountWrite> writes, string sql, string what, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var affected = await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            accounts = writes.Select(a => a.AccountNo).ToArray(),
            currencies = writes.Select(a => a.Currency).ToArray(),
            exponents = writes.Select(a => (short)a.Exponent).ToArray(),
            posted = writes.Select(a => a.PostedDelta).ToArray(),
            held = writes.Select(a => a.HeldDelta).ToArray(),
            at = writes[0].At.UtcDateTime,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (affected != writes.Count)
        {
            throw new ConcurrencyException($"Expected to write {writes.Count} {what}, wrote {affected}.");
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync().ConfigureAwait(false); // rolls back if not committed
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
