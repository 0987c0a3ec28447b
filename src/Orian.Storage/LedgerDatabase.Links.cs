using System.Data.Common;
using System.Text.Json;
using Dapper;
using Orian.Domain;
using Orian.Orchestrator;
using Orian.Outbox;

namespace Orian.Storage;

// Instruction links, and how the outbox turns a linked transaction's progress into Orchestrator
// instruction updates.
//
// The ledger batch writes transaction.updated in its own commit (the hot path reads no links). The
// fan-out, in one transaction, reads those events with the links of their transactions and queues
// an instruction.updated event plus a delivery to the Orchestrator for each change of status. A link
// written later looks at the transaction as it is and queues the current status itself. Link writes
// and fan-outs take one lock (PostgreSQL advisory; SQLite's single writer), so neither can miss a
// change the other made: whichever runs second sees the first's work.
public abstract partial class LedgerDatabase : IInstructionLinkStore
{
    /// <summary>The id of the outbox destination that stands for the Payments Orchestrator.</summary>
    public const string OrchestratorEndpointId = "orchestrator";

    /// <summary>A statement taking the lock that link writes and fan-outs share, or null where the
    /// write transaction already excludes every other writer (SQLite).</summary>
    protected abstract string? LinkLockStatement { get; }

    private async Task LockLinksAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (LinkLockStatement is { } statement)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<LinkWrite> PutLinkAsync(string transactionId, InstructionLinkRefs refs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteScopeAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        await LockLinksAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var existing = await connection.QuerySingleOrDefaultAsync<InstructionLinkRow>(new CommandDefinition(
            $"SELECT {InstructionLinkRow.Columns} FROM instruction_links WHERE transaction_id = @transactionId",
            new { transactionId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var sameInstruction = existing is not null && existing.OrderRef == refs.OrderRef && existing.InstructionRef == refs.InstructionRef;
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
                $"SELECT {TransactionRow.Columns} FROM transactions WHERE id = @transactionId",
                new { transactionId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row is not null)
            {
                var state = row.ToState();
                queued = await QueueChangeAsync(connection, transaction, link, state.Version, state.Status, state.Result, state.AccountNo, state.Amount, row.UpdatedAt, now, cancellationToken).ConfigureAwait(false);
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO instruction_links ({InstructionLinkRow.Columns}) VALUES (@TransactionId, @OrderRef, @InstructionRef, @Metadata, @LastStatus, @LastVersion, @CreatedAt, @UpdatedAt) " +
            "ON CONFLICT (transaction_id) DO UPDATE SET order_ref = excluded.order_ref, instruction_ref = excluded.instruction_ref, metadata = excluded.metadata, " +
            "last_status = excluded.last_status, last_version = excluded.last_version, updated_at = excluded.updated_at",
            link, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LinkWrite(link, existing is null, queued);
    }

    /// <summary>Given that the linked transaction reached <paramref name="version"/> in
    /// <paramref name="status"/>, queues the instruction update if it is newer than what the link
    /// has seen and changes the instruction's status. Updates <paramref name="link"/> in memory (the
    /// caller writes it). Returns the status queued, or null.</summary>
    private async Task<string?> QueueChangeAsync(
        DbConnection connection, DbTransaction transaction, InstructionLinkRow link, long version, string status, string? result,
        string? accountNo, Money? amount, DateTimeOffset occurredAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (link.LastVersion is { } seen && version <= seen)
        {
            return null; // an older version than the instruction was last told about
        }

        link.LastVersion = version;
        var mapped = InstructionStatus.Map(status, result);
        if (mapped is null || mapped == link.LastStatus)
        {
            return null;
        }

        var change = new InstructionChange(link.TransactionId, version, link.Refs, mapped, link.LastStatus, status, result, accountNo, amount, occurredAt);
        var evt = EventFactory.InstructionUpdated(change, now);
        // The id comes from the cause, so an update this instruction was already sent (a link
        // deleted and written again) is not queued twice.
        var inserted = await connection.ExecuteAsync(new CommandDefinition(OutboxSql.InsertSubjectEvent,
            new { evt.EventId, evt.Type, evt.TransactionId, evt.Version, evt.AccountNo, evt.Payload, evt.At, Subject = $"{link.OrderRef}/{link.InstructionRef}" },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        link.LastStatus = mapped;
        if (inserted == 0)
        {
            return null;
        }

        await connection.ExecuteAsync(new CommandDefinition(OutboxSql.InsertDelivery,
            new { evt.EventId, EndpointId = OrchestratorEndpointId, At = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return mapped;
    }

    /// <summary>Part of a fan-out round: puts the link references into the round's events about
    /// linked transactions, and queues the instruction updates their progress calls for.</summary>
    private async Task ApplyLinksAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = events.Where(e => e.TransactionId is not null).Select(e => e.TransactionId!).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var links = (await connection.QueryAsync<InstructionLinkRow>(new CommandDefinition(
            $"SELECT {InstructionLinkRow.Columns} FROM instruction_links WHERE {IdIn("transaction_id")}",
            new { ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToDictionary(l => l.TransactionId, StringComparer.Ordinal);
        if (links.Count == 0)
        {
            return;
        }

        var touched = new HashSet<InstructionLinkRow>();
        foreach (var e in events)
        {
            if (e.TransactionId is null || !links.TryGetValue(e.TransactionId, out var link) || e.EventType == EventTypes.InstructionUpdated)
            {
                continue;
            }

            e.Payload = EventFactory.WithLink(e.Payload, link.Refs);
            await connection.ExecuteAsync(new CommandDefinition("UPDATE outbox_events SET payload = @Payload WHERE id = @Id",
                e, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (e.EventType != EventTypes.TransactionUpdated || e.Version is not { } version)
            {
                continue;
            }

            var (status, result, accountNo, amount) = ReadTransactionUpdated(e.Payload);
            var before = (link.LastStatus, link.LastVersion);
            await QueueChangeAsync(connection, transaction, link, version, status, result, accountNo, amount, e.CreatedAt, now, cancellationToken).ConfigureAwait(false);
            if (before != (link.LastStatus, link.LastVersion))
            {
                link.UpdatedAt = now;
                touched.Add(link);
            }
        }

        foreach (var link in touched)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE instruction_links SET last_status = @LastStatus, last_version = @LastVersion, updated_at = @UpdatedAt WHERE transaction_id = @TransactionId",
                link, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private static (string Status, string? Result, string? AccountNo, Money? Amount) ReadTransactionUpdated(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var data = document.RootElement.GetProperty("data");
        static string? Text(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        Money? amount = null;
        if (data.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            var currency = a.GetProperty("currency");
            amount = new Money(a.GetProperty("amount").GetInt64(), currency.GetProperty("code").GetString()!, currency.GetProperty("exponent").GetInt32());
        }

        return (Text(data, "status") ?? "", Text(data, "result"), Text(data, "account_no"), amount);
    }

    public async Task<InstructionLinkRow?> GetLinkAsync(string transactionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<InstructionLinkRow>(new CommandDefinition(
            $"SELECT {InstructionLinkRow.Columns} FROM instruction_links WHERE transaction_id = @transactionId",
            new { transactionId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<bool> DeleteLinkAsync(string transactionId, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteScopeAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        await LockLinksAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var deleted = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM instruction_links WHERE transaction_id = @transactionId",
            new { transactionId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted == 1;
    }

    public async Task<IReadOnlyList<InstructionUpdateRow>> GetInstructionUpdatesAsync(string transactionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<InstructionUpdateRow>(new CommandDefinition(
            "SELECT d.id AS delivery_id, ev.event_id, ev.version, ev.payload, d.state, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at " +
            "FROM outbox_events ev JOIN webhook_deliveries d ON d.event_id = ev.event_id " +
            "WHERE ev.transaction_id = @transactionId AND ev.event_type = @type AND d.endpoint_id = @endpoint ORDER BY d.id",
            new { transactionId, type = EventTypes.InstructionUpdated, endpoint = OrchestratorEndpointId }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>An outbox event not fanned out yet.</summary>
    private sealed class PendingEvent
    {
        public long Id { get; set; }
        public string EventId { get; set; } = "";
        public string EventType { get; set; } = "";
        public string? TransactionId { get; set; }
        public long? Version { get; set; }
        public string Payload { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
    }
}
