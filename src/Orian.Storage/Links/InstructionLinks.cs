using Dapper;
using Orian.Orchestrator;
using Orian.Outbox;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>Links from ORIAN transactions to the Orchestrator instructions they settle.</summary>
public sealed class InstructionLinks(SqlDatabase database) : IInstructionLinkStore
{
    /// <summary>The id of the outbox destination that stands for the Payments Orchestrator.</summary>
    public const string OrchestratorEndpointId = LinkUpdates.OrchestratorEndpointId;

    private const string SelectLink = $"SELECT {InstructionLinkRow.Columns} FROM instruction_links WHERE transaction_id = @transactionId";

    private const string SelectLinkOfInstruction =
        $"SELECT {InstructionLinkRow.Columns} FROM instruction_links WHERE order_ref = @OrderRef AND instruction_ref = @InstructionRef";

    private const string DeleteLink = "DELETE FROM instruction_links WHERE transaction_id = @transactionId";

    private const string SelectUpdates =
        "SELECT d.id AS delivery_id, ev.event_id, ev.version, ev.payload, d.state, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at " +
        "FROM outbox_events ev JOIN webhook_deliveries d ON d.event_id = ev.event_id " +
        "WHERE ev.transaction_id = @transactionId AND ev.subject IS NOT NULL AND ev.event_type = @type AND d.endpoint_id = @endpoint ORDER BY d.id";

    private static readonly string SelectTransaction = $"SELECT {TransactionRow.Columns} FROM transactions WHERE id = @transactionId";

    private readonly LinkUpdates _updates = new(database.Dialect);

    private readonly string _upsert = database.Dialect.Upsert("instruction_links",
        [("transaction_id", "@TransactionId"), ("order_ref", "@OrderRef"), ("instruction_ref", "@InstructionRef"), ("metadata", "@Metadata"),
         ("last_status", "@LastStatus"), ("last_version", "@LastVersion"), ("created_at", "@CreatedAt"), ("updated_at", "@UpdatedAt")],
        ["transaction_id"], ["order_ref", "instruction_ref", "metadata", "last_status", "last_version", "updated_at"]);

    public async Task<LinkWrite> PutLinkAsync(string transactionId, InstructionLinkRefs refs, OperatorContext who, CancellationToken cancellationToken)
    {
        var now = who.At;
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        await _updates.LockAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await _updates.LockTransactionAsync(connection, transaction, transactionId, cancellationToken).ConfigureAwait(false);
        var existing = await connection.QuerySingleOrDefaultAsync<InstructionLinkRow>(new CommandDefinition(
            SelectLink,
            new { transactionId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var sameInstruction = existing is not null && existing.OrderRef == refs.OrderRef && existing.InstructionRef == refs.InstructionRef;
        if (!sameInstruction)
        {
            // An instruction has been told about this transaction: it stays its instruction.
            if (existing?.LastStatus is not null)
            {
                return new LinkWrite(existing, false, null, LinkConflict.AlreadyReported);
            }

            // One transaction per instruction (the unique index is the backstop; under the lock this
            // read sees every committed link).
            var holder = await connection.QuerySingleOrDefaultAsync<InstructionLinkRow>(new CommandDefinition(
                SelectLinkOfInstruction,
                new { refs.OrderRef, refs.InstructionRef }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (holder is not null)
            {
                return new LinkWrite(holder, false, null, LinkConflict.InstructionTaken);
            }
        }
        var link = new InstructionLinkRow
        {
            TransactionId = transactionId,
            OrderRef = refs.OrderRef,
            InstructionRef = refs.InstructionRef,
            Metadata = refs.MetadataJson,
            // A new instruction has been told nothing yet; the same one keeps what it was told.
            LastStatus = sameInstruction ? existing!.LastStatus : null,
            LastVersion = sameInstruction ? existing!.LastVersion : null,
            CreatedAt = existing?.CreatedAt ?? now,
            UpdatedAt = now,
        };

        string? queued = null;
        if (!sameInstruction)
        {
            var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(new CommandDefinition(
                SelectTransaction,
                new { transactionId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row is not null)
            {
                var state = row.ToState();
                queued = await _updates.QueueChangeAsync(connection, transaction, link, state.Version, state.Status, state.Result, state.AccountNo, state.Amount, row.UpdatedAt, now, cancellationToken).ConfigureAwait(false);
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(_upsert, link, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditTrail.AppendAsync(connection, transaction, who, "instruction_link.put", Target(transactionId), existing?.Snapshot(), link.Snapshot(), cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LinkWrite(link, existing is null, queued);
    }

    public async Task<InstructionLinkRow?> GetLinkAsync(string transactionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<InstructionLinkRow>(new CommandDefinition(
            SelectLink,
            new { transactionId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<LinkDelete> DeleteLinkAsync(string transactionId, OperatorContext who, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        await _updates.LockAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await _updates.LockTransactionAsync(connection, transaction, transactionId, cancellationToken).ConfigureAwait(false);
        var existing = await connection.QuerySingleOrDefaultAsync<InstructionLinkRow>(new CommandDefinition(
            SelectLink,
            new { transactionId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (existing is null)
        {
            return LinkDelete.NotFound;
        }

        if (existing.LastStatus is not null)
        {
            return LinkDelete.AlreadyReported;
        }

        await connection.ExecuteAsync(new CommandDefinition(DeleteLink,
            new { transactionId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditTrail.AppendAsync(connection, transaction, who, "instruction_link.delete", Target(transactionId), existing.Snapshot(), null, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return LinkDelete.Deleted;
    }

    private static string Target(string transactionId) => $"transaction:{transactionId}";

    public async Task<IReadOnlyList<InstructionUpdateRow>> GetInstructionUpdatesAsync(string transactionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<InstructionUpdateRow>(new CommandDefinition(
            SelectUpdates,
            new { transactionId, type = EventTypes.InstructionUpdated, endpoint = OrchestratorEndpointId }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }
}
