namespace Orian.Storage;

// Read models for operators. Init-only properties rather than positional records: Dapper then maps
// columns by name whatever integer width the provider returns (SQLite INTEGER is always 64-bit).

/// <summary>One line of an account's journal.</summary>
public sealed record JournalEntry
{
    public long Id { get; init; }
    public string TransactionId { get; init; } = "";
    public long Version { get; init; }
    public string AccountNo { get; init; } = "";
    public string Kind { get; init; } = "";
    public long Amount { get; init; }
    public string Currency { get; init; } = "";
    public int Exponent { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One version as received, with what the version rule made of it.</summary>
public sealed record VersionReceipt
{
    public long Seq { get; init; }
    public long Version { get; init; }
    public string Outcome { get; init; } = "";
    public int Flags { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>An account with its balances and the times it was opened and last moved.</summary>
public sealed record AccountRecord
{
    public string AccountNo { get; init; } = "";
    public string Currency { get; init; } = "";
    public int Exponent { get; init; }
    public long Posted { get; init; }
    public long Held { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public long Available => Posted - Held;
}
