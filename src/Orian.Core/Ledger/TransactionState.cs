using Orian.Domain;

namespace Orian.Ledger;

/// <summary>A transaction's row: its highest applied version, what that version said, and the
/// effect it has on the ledger.</summary>
public sealed record TransactionState
{
    public required string Id { get; init; }
    public required long Version { get; init; }
    public required byte[] PayloadHash { get; init; }

    /// <summary>The key <see cref="PayloadHash"/> is computed under (<see cref="PayloadKeys"/>); null
    /// for a plain SHA-256 written before hashes were keyed and not yet re-keyed.</summary>
    public string? PayloadKeyId { get; init; }
    public required string Status { get; init; }
    public string? Result { get; init; }
    public string? ResultDetail { get; init; }
    public string? Direction { get; init; }
    public string? TxnType { get; init; }
    public string? SchemeId { get; init; }
    public string? AccountNo { get; init; }
    public Money? Amount { get; init; }
    public required LedgerEffect Effect { get; init; }
    public EventFlags Flags { get; init; }

    /// <summary>The 3-D Secure result of the newest applied version that carried one.</summary>
    public string? SecureAuthResult { get; init; }
}
