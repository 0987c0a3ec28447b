using Dapper;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>The ledger as the batch applier writes it: batches in the provider's unit of work, and
/// the stand-in records a missed deadline leaves.</summary>
public sealed class LedgerStore(SqlDatabase database) : ILedgerStore
{
    private readonly AuthorisationSql _sql = new(database.Dialect);

    public Task<ILedgerUnitOfWork> BeginAsync(LedgerPriority priority, CancellationToken cancellationToken) => database.BeginLedgerAsync(priority, cancellationToken);

    public bool IsTransient(Exception exception) => database.IsTransient(exception);

    public async Task<bool> HasCommittedAsync(string outboxEventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM outbox_events WHERE event_id = @outboxEventId) THEN 1 END",
            new { outboxEventId }, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
    }

    public async Task RecordStandInAsync(StandInRecord record, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            _sql.InsertStandIn, AuthorisationData.StandInParameters(record), scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StandInRecord>> GetOpenStandInsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<StandInRow>(new CommandDefinition(
            _sql.SelectOpenStandIns, new { limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }
}
