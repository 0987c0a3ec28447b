using Orian.Domain;

namespace Orian.Orchestrator;

/// <summary>The Orchestrator references of a link, with the tenant's metadata (a JSON object, or
/// null) that webhooks echo back.</summary>
public sealed record InstructionLinkRefs(string OrderRef, string InstructionRef, string? MetadataJson);

/// <summary>A linked instruction moves to <paramref name="Status"/> because its transaction reached
/// <paramref name="Version"/> (in <paramref name="TransactionStatus"/>, at <paramref name="OccurredAt"/>).</summary>
public sealed record InstructionChange(
    string TransactionId,
    long Version,
    InstructionLinkRefs Link,
    string Status,
    string? PreviousStatus,
    string TransactionStatus,
    string? Result,
    string? AccountNo,
    Money? Amount,
    DateTimeOffset OccurredAt);
