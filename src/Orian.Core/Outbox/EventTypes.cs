namespace Orian.Outbox;

/// <summary>The events tenants can subscribe to.</summary>
public static class EventTypes
{
    /// <summary>Each applied version of a transaction.</summary>
    public const string TransactionUpdated = "transaction.updated";
    /// <summary>Each delegated authorisation decision (and its revocation after a missed deadline).</summary>
    public const string AuthorisationDecided = "authorisation.decided";
    /// <summary>A version that left its account's available balance below zero.</summary>
    public const string AccountOverdrawn = "account.overdrawn";
    /// <summary>A status update sent to a linked Payments Orchestrator instruction.</summary>
    public const string InstructionUpdated = "instruction.updated";

    public static readonly IReadOnlyList<string> All = [TransactionUpdated, AuthorisationDecided, AccountOverdrawn, InstructionUpdated];
}
