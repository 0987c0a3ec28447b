using System.Data.Common;
using Dapper;
using Orian.Authorisation;
using Orian.Storage.Sql;
using Orian.Ledger;

namespace Orian.Storage;

/// <summary>
/// What every provider's ledger transaction shares: the point reads a batch makes besides its
/// locking read. A provider adds the locking read and the batch writes, which is where databases
/// differ (row locks, array or JSON parameters, one statement per row or per batch).
/// </summary>
public abstract class SqlUnitOfWork(DbConnection connection, DbTransaction transaction) : ILedgerUnitOfWork
{
    private const string SelectAppliedBody =
        "SELECT raw_json, redacted_hash, payload_key FROM transaction_versions WHERE transaction_id = @transactionId AND version = @version AND outcome = 'applied'";

    protected DbConnection Connection { get; } = connection;
    protected DbTransaction Transaction { get; } = transaction;

    public abstract Task<LockedRows> LockAsync(
        IReadOnlyList<string> transactionIds, IReadOnlyList<string> accountNos, DateTimeOffset? authorisationDay, CancellationToken cancellationToken);

    public abstract Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken);

    public virtual Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>Reads the results of a locking read that returns, in order, the transaction rows, the
    /// account rows and (with <paramref name="withAuthorisation"/>) the controls and today's spend.</summary>
    /// <summary>The enabled webhook endpoints: what the batch's fan-out matches its events against (a
    /// handful of rows, read whole).</summary>
    protected const string SubscriptionsRead = OutboxSql.EnabledEndpoints;

    /// <summary>The batch's fan-out data from its rows: the subscriptions, and the links by transaction id.</summary>
    protected static LockedRows WithFanOut(
        LockedRows locked, IEnumerable<(string Id, string Events, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)> endpoints, IEnumerable<InstructionLinkRow> links) =>
        locked with
        {
            Subscriptions = [.. endpoints.Select(e => Orian.Delivery.Subscription.Of(e.Id, e.Events, e.CreatedAt, e.UpdatedAt))],
            Links = links.ToDictionary(
                l => l.TransactionId, l => new Orian.Delivery.LinkedInstruction(l.TransactionId, l.Refs, l.LastStatus, l.LastVersion), StringComparer.Ordinal),
        };

    /// <summary>Reads the locking read's results: the transactions, the accounts, the authorisation
    /// data when asked for, then the fan-out's subscriptions and links.</summary>
    protected static async Task<LockedRows> ReadLockedAsync(SqlMapper.GridReader reader, bool withAuthorisation)
    {
        var transactions = (await reader.ReadAsync<TransactionRow>().ConfigureAwait(false)).ToDictionary(r => r.Id, r => r.ToState(), StringComparer.Ordinal);
        var accounts = (await reader.ReadAsync<AccountRecord>().ConfigureAwait(false))
            .ToDictionary(r => r.AccountNo, r => LedgerInvariants.CheckAfterRead(new AccountState(r.AccountNo, r.Currency, r.Exponent, r.Posted, r.Held)), StringComparer.Ordinal);
        var authorisation = new Dictionary<string, (AccountControls Controls, long SpentToday)>(StringComparer.Ordinal);
        if (withAuthorisation)
        {
            var controls = await reader.ReadAsync<ControlsRow>().ConfigureAwait(false);
            var spent = await reader.ReadAsync<(string AccountNo, long Spent)>().ConfigureAwait(false);
            AuthorisationData.Merge(authorisation, controls, spent);
        }

        var endpoints = await reader.ReadAsync<(string Id, string Events, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)>().ConfigureAwait(false);
        var links = await reader.ReadAsync<InstructionLinkRow>().ConfigureAwait(false);
        return WithFanOut(new LockedRows(transactions, accounts, authorisation), endpoints, links);
    }

    public async Task<Decision?> GetDecisionAsync(string transactionId, long version, CancellationToken cancellationToken) =>
        (await GetDecisionStateAsync(transactionId, version, cancellationToken).ConfigureAwait(false))?.Decision;

    public async Task<DecisionState?> GetDecisionStateAsync(string transactionId, long version, CancellationToken cancellationToken) =>
        (await Connection.QuerySingleOrDefaultAsync<DecisionRow>(new CommandDefinition(
            AuthorisationSql.SelectDecision, new { transactionId, version }, Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)) is { } row
            ? LedgerInvariants.CheckAfterRead(transactionId, version, row.ToState())
            : null;

    public async Task<bool> HasPayloadAsync(string transactionId, byte[] payloadHash, CancellationToken cancellationToken) =>
        await Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            AuthorisationSql.HasPayload, new { transactionId, payloadHash }, Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;

    public async Task<AppliedBody?> GetAppliedPayloadAsync(string transactionId, long version, CancellationToken cancellationToken) =>
        (await Connection.QuerySingleOrDefaultAsync<(string? Json, byte[]? RedactedHash, string? KeyId)?>(new CommandDefinition(
            SelectAppliedBody,
            new { transactionId, version }, Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)) is { } row
            ? new AppliedBody(row.Json, row.RedactedHash, row.KeyId)
            : null;
}
