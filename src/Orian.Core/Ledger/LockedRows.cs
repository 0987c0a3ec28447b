using Orian.Authorisation;

namespace Orian.Ledger;

/// <summary>What a batch read under lock: the rows it may change, and what decisions need.</summary>
public sealed record LockedRows(
    IReadOnlyDictionary<string, TransactionState> Transactions,
    IReadOnlyDictionary<string, AccountState> Accounts,
    IReadOnlyDictionary<string, (AccountControls Controls, long SpentToday)> Authorisation);
