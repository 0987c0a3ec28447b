using Orian.Authorisation;

namespace Orian.Ledger;

/// <summary>What a batch read under lock: the rows it may change, and what decisions need.</summary>
public sealed record LockedRows(
    IReadOnlyDictionary<string, TransactionState> Transactions,
    IReadOnlyDictionary<string, AccountState> Accounts,
    IReadOnlyDictionary<string, (AccountControls Controls, long SpentToday)> Authorisation)
{
    /// <summary>The enabled webhook endpoints, read in the same locking read (the batch's fan-out).</summary>
    public IReadOnlyList<Delivery.Subscription> Subscriptions { get; init; } = [];

    /// <summary>The instruction links of the batch's transactions, by transaction id, read under the
    /// lock that link writes take exclusively (the batch's fan-out).</summary>
    public IReadOnlyDictionary<string, Delivery.LinkedInstruction> Links { get; init; } = new Dictionary<string, Delivery.LinkedInstruction>();
}
