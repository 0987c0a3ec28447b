using Dapper;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>The ledger as the batch applier writes it: batches in the provider's unit of work, and
/// the confirmations and the reconciler's scan of decisions (docs/authorisation.md).</summary>
public sealed class LedgerStore(SqlDatabase database) : ILedgerStore
{
    private const string Exists = "SELECT CASE WHEN EXISTS (SELECT 1 FROM outbox_events WHERE event_id = @outboxEventId) THEN 1 END";

    private readonly AuthorisationSql _sql = new(database.Dialect);

    public Task<ILedgerUnitOfWork> BeginAsync(LedgerPriority priority, CancellationToken cancellationToken) => database.BeginLedgerAsync(priority, cancellationToken);

    public bool IsTransient(Exception exception) => database.IsTransient(exception);

    /// <summary>Asked in a transaction of its own whose commit waits for the replicas (where the
    /// dialect says how), so that "committed" is said only of a batch the replicas have: the row may
    /// be on the primary alone after a commit whose wait for a standby was cancelled.</summary>
    public async Task<bool> HasCommittedAsync(string outboxEventId, CancellationToken cancellationToken)
    {
        if (database.Dialect.ConfirmsReplication is not { } confirm)
        {
            // A plain read (on SQLite the batch asking still holds the one writer).
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Exists, new { outboxEventId }, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(confirm, transaction: scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var committed = await scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            Exists, new { outboxEventId }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return committed;
    }

    public async Task<IReadOnlyCollection<DecisionKey>> ConfirmDecisionsAsync(IReadOnlyList<DecisionKey> keys, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var rows = await database.WriteReturningAsync<(string TransactionId, long Version)>(
            database.Dialect.ConfirmDecisions, database.Dialect.ConfirmParameters(keys, at), cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new DecisionKey(r.TransactionId, r.Version)).ToHashSet();
    }

    public async Task<IReadOnlyList<UnconfirmedDecision>> GetUnconfirmedDecisionsAsync(
        DateTimeOffset deadlineBefore, UnconfirmedDecision? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string TransactionId, long Version, DateTimeOffset DeadlineAt)>(new CommandDefinition(_sql.SelectUnconfirmed, new
        {
            before = deadlineBefore,
            afterDeadline = after?.Deadline ?? DateTimeOffset.UnixEpoch,
            afterId = after?.Key.TransactionId ?? "",
            afterVersion = after?.Key.Version ?? long.MinValue,
            limit,
        }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new UnconfirmedDecision(new DecisionKey(r.TransactionId, r.Version), r.DeadlineAt)).ToList();
    }
}
