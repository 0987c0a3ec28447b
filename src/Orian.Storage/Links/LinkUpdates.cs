using System.Data.Common;
using Dapper;
using Orian.Domain;
using Orian.Orchestrator;
using Orian.Outbox;
using Orian.Storage.Sql;

namespace Orian.Storage;

// How the outbox turns a linked transaction's progress into Orchestrator instruction updates.
//
// The ledger batch writes transaction.updated in its own commit (the hot path reads no links). The
// fan-out, in one transaction, reads those events with the links of their transactions and queues
// an instruction.updated event plus a delivery to the Orchestrator for each change of status. A link
// written later looks at the transaction as it is and queues the current status itself. Link writes
// and fan-outs take one lock (the dialect's transaction lock; SQLite's single writer), so neither can
// miss a change the other made: whichever runs second sees the first's work. Whether a change is
// queued is InstructionUpdateRule's call (Core), the same for both paths.
internal sealed class LinkUpdates(SqlDialect dialect)
{
    /// <summary>The id of the outbox destination that stands for the Payments Orchestrator.</summary>
    public const string OrchestratorEndpointId = Orian.Delivery.FanOut.OrchestratorEndpointId;

    private const string UpdatePayload = "UPDATE outbox_events SET payload = @Payload WHERE id = @Id";

    private const string UpdateLinkStatus =
        "UPDATE instruction_links SET last_status = @LastStatus, last_version = @LastVersion, updated_at = @UpdatedAt WHERE transaction_id = @TransactionId";

    private readonly SqlDialect _dialect = dialect;
    private readonly OutboxSql _sql = new(dialect);
    private readonly string? _lock = dialect.TransactionLock("orian-links");
    private readonly string? _transactionLock = dialect.LinkTransactionLock;
    private readonly string _linksOf = $"SELECT {InstructionLinkRow.Columns} FROM instruction_links WHERE {dialect.In("transaction_id", "@ids")}";

    /// <summary>Takes the lock link writes and fan-outs share, for the rest of the transaction.</summary>
    public async Task LockAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (_lock is { } statement)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Makes this transaction the only writer of <paramref name="transactionId"/>'s link, against
    /// the ledger batches that fan that transaction's events out (they read its link under the same
    /// lock, shared), until the transaction ends.</summary>
    public async Task LockTransactionAsync(DbConnection connection, DbTransaction transaction, string transactionId, CancellationToken cancellationToken)
    {
        if (_transactionLock is { } statement)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, new { transactionId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Given that the linked transaction reached <paramref name="version"/> in
    /// <paramref name="status"/>, queues the instruction update the rule calls for. Updates
    /// <paramref name="link"/> in memory (the caller writes it). Returns the status queued, or null.</summary>
    public async Task<string?> QueueChangeAsync(
        DbConnection connection, DbTransaction transaction, InstructionLinkRow link, long version, string status, string? result,
        string? accountNo, Money? amount, DateTimeOffset occurredAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var previous = link.LastStatus;
        var (next, queue) = InstructionUpdateRule.Decide(new LinkProgress(link.LastStatus, link.LastVersion), version, status, result);
        (link.LastStatus, link.LastVersion) = (next.LastStatus, next.LastVersion);
        if (queue is null)
        {
            return null;
        }

        var change = new InstructionChange(link.TransactionId, version, link.Refs, queue, previous, status, result, accountNo, amount, occurredAt);
        var evt = EventFactory.InstructionUpdated(change, now);
        // The id comes from the cause, so an update this instruction was already sent (a link
        // deleted and written again) is not queued twice.
        var inserted = await connection.ExecuteAsync(new CommandDefinition(_sql.InsertSubjectEvent,
            new { evt.EventId, evt.Type, evt.TransactionId, evt.Version, evt.AccountNo, evt.Payload, evt.At, evt.TraceParent, Subject = $"{link.OrderRef}/{link.InstructionRef}" },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (inserted == 0)
        {
            return null;
        }

        await connection.ExecuteAsync(new CommandDefinition(_sql.InsertDelivery,
            new { evt.EventId, EndpointId = OrchestratorEndpointId, At = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return queue;
    }

    /// <summary>Part of a fan-out round: puts the link references into the round's events about
    /// linked transactions, and queues the instruction updates their progress calls for.</summary>
    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingOutboxEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = events.Where(e => e.TransactionId is not null).Select(e => e.TransactionId!).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var links = (await connection.QueryAsync<InstructionLinkRow>(new CommandDefinition(_linksOf, _dialect.ListParameters("ids", ids), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(l => l.TransactionId, StringComparer.Ordinal);
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

            e.Payload = OutboxPayload.WithLink(e.EventType, e.Payload, link.Refs);
            await connection.ExecuteAsync(new CommandDefinition(UpdatePayload,
                e, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (e.EventType != EventTypes.TransactionUpdated || e.Version is not { } version)
            {
                continue;
            }

            var data = OutboxPayload.ReadTransactionUpdated(e.Payload);
            var before = (link.LastStatus, link.LastVersion);
            await QueueChangeAsync(connection, transaction, link, version, data.Status, data.Result, data.AccountNo, data.Amount?.ToMoney(), e.CreatedAt, now, cancellationToken).ConfigureAwait(false);
            if (before != (link.LastStatus, link.LastVersion))
            {
                link.UpdatedAt = now;
                touched.Add(link);
            }
        }

        foreach (var link in touched)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                UpdateLinkStatus,
                link, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }
}

/// <summary>An outbox event not fanned out yet.</summary>
internal sealed class PendingOutboxEvent
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string? TransactionId { get; set; }
    public long? Version { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
