using Dapper;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>Account controls and the decisions made under them, as operators read and set them.</summary>
public sealed class AuthorisationAdmin(SqlDatabase database) : IAuthorisationAdmin
{
    private const string SelectControls = $"SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no = @accountNo";

    private readonly AuthorisationSql _sql = new(database.Dialect);

    public async Task<ControlsRow?> GetControlsAsync(string accountNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ControlsRow>(new CommandDefinition(
            SelectControls, new { accountNo }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task PutControlsAsync(ControlsRow controls, OperatorContext who, CancellationToken cancellationToken)
    {
        // One write transaction: the upsert (two statements on some databases) and its audit entry.
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var before = await scope.Connection.QuerySingleOrDefaultAsync<ControlsRow>(new CommandDefinition(
            SelectControls, new { accountNo = controls.AccountNo }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(_sql.UpsertControls, controls, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditTrail.AppendAsync(scope.Connection, scope.Transaction, who, "controls.put", $"account:{controls.AccountNo}",
            before?.Snapshot(), controls.Snapshot(), cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DecisionRow>> GetDecisionsAsync(string accountNo, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(
            _sql.SelectDecisions, new { accountNo, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}
