using Orian.Orchestrator;
using Orian.Outbox;

namespace Orian.Storage;

/// <summary>Links from ORIAN transactions to the Payments Orchestrator instructions they settle.</summary>
public interface IInstructionLinkStore
{
    /// <summary>Creates or replaces the link of <paramref name="transactionId"/>. When the references
    /// change and the transaction already has a status the instruction should know, an update is
    /// queued for the Orchestrator in the same transaction (a late link still reports). Nothing is
    /// written when the instruction is linked to another transaction, or when this link has already
    /// reported a status to its instruction and would move (<see cref="LinkWrite.Conflict"/>).</summary>
    Task<LinkWrite> PutLinkAsync(string transactionId, InstructionLinkRefs refs, OperatorContext who, CancellationToken cancellationToken);

    Task<InstructionLinkRow?> GetLinkAsync(string transactionId, CancellationToken cancellationToken);

    /// <summary>Removes a link, unless it has already reported a status to its instruction (deleting it
    /// then would let the transaction be linked to a second instruction).</summary>
    Task<LinkDelete> DeleteLinkAsync(string transactionId, OperatorContext who, CancellationToken cancellationToken);

    /// <summary>The instruction updates queued for the Orchestrator about a transaction, oldest first.</summary>
    Task<IReadOnlyList<InstructionUpdateRow>> GetInstructionUpdatesAsync(string transactionId, CancellationToken cancellationToken);
}

/// <summary>An <c>instruction_links</c> row.</summary>
public sealed class InstructionLinkRow
{
    public string TransactionId { get; set; } = "";
    public string OrderRef { get; set; } = "";
    public string InstructionRef { get; set; } = "";
    public string? Metadata { get; set; }
    public string? LastStatus { get; set; }
    public long? LastVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public InstructionLinkRefs Refs => new(OrderRef, InstructionRef, Metadata);

    internal const string Columns = "transaction_id, order_ref, instruction_ref, metadata, last_status, last_version, created_at, updated_at";

    /// <summary>What the audit trail keeps of a link.</summary>
    internal object Snapshot() => new { TransactionId, OrderRef, InstructionRef, Metadata, LastStatus, LastVersion };
}

/// <summary>What a link write did: <paramref name="Created"/> a new link, and the status it queued
/// for the Orchestrator (null when nothing was due); or, with a <paramref name="Conflict"/>, nothing,
/// and <paramref name="Link"/> is the link that stands in the way (another transaction's, or this one's
/// as it is).</summary>
public sealed record LinkWrite(InstructionLinkRow Link, bool Created, string? Queued, LinkConflict Conflict = LinkConflict.None);

/// <summary>Why a link write changed nothing.</summary>
public enum LinkConflict
{
    None,

    /// <summary>The instruction is linked to another transaction: one transaction per instruction.</summary>
    InstructionTaken,

    /// <summary>The link has reported a status to its instruction and cannot move to another.</summary>
    AlreadyReported,
}

/// <summary>What a link delete did.</summary>
public enum LinkDelete
{
    NotFound,
    Deleted,

    /// <summary>Kept: it has reported a status to its instruction.</summary>
    AlreadyReported,
}

/// <summary>One queued instruction update and how its delivery to the Orchestrator is going.</summary>
public sealed class InstructionUpdateRow
{
    public long DeliveryId { get; set; }
    public string EventId { get; set; } = "";
    public long Version { get; set; }

    /// <summary>The instruction status the update carries (read from its payload).</summary>
    public string Status => OutboxPayload.ReadInstructionUpdated(Payload).Status;

    /// <summary>The update as queued (an <c>instruction.updated</c> event).</summary>
    internal string Payload { get; set; } = "";
    public string State { get; set; } = "";
    public int Attempts { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}
