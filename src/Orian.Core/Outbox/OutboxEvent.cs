namespace Orian.Outbox;

/// <summary>An event to tell the outside world, written in the same database transaction as the
/// ledger change that caused it. <see cref="EventId"/> is derived from what caused it, so a retried
/// batch writes the same id and consumers can de-duplicate on it. <see cref="TraceParent"/> is the
/// W3C trace context of the request that caused it, when that request was traced: its deliveries
/// continue that trace. <see cref="Subject"/>: the instruction an <c>instruction.updated</c> event is
/// about (<c>order_ref/instruction_ref</c>), so that at most one update per instruction is in flight.</summary>
public sealed record OutboxEvent(
    string EventId, string Type, string? TransactionId, long? Version, string? AccountNo, string Payload, DateTimeOffset At, string? TraceParent = null,
    string? Subject = null);
