using Orian.Authorisation;
using Orian.Domain;

namespace Orian.Ledger;

/// <summary>Everything one batch writes, in one database transaction. Stores apply it as given and
/// verify every conditional write by its row count.</summary>
public sealed class LedgerChanges(DateTimeOffset at)
{
    /// <summary>The batch's time (from the injected clock): every row it writes carries it.</summary>
    public DateTimeOffset At { get; } = at;

    public List<TransactionWrite> Transactions { get; } = [];
    public List<VersionRecord> Versions { get; } = [];
    public List<AccountWrite> Accounts { get; } = [];
    public List<JournalLine> Journal { get; } = [];
    public List<DecisionRecord> Decisions { get; } = [];
    public List<DecisionRevocation> Revocations { get; } = [];
    public List<Outbox.OutboxEvent> Outbox { get; } = [];
}

/// <summary>An authorisation decision as given, with what it was based on and how long it took.</summary>
public sealed record DecisionRecord(
    string TransactionId, long Version, string? AccountNo, Decision Decision, Money? Amount, double LatencyMs, bool TimedOut, DateTimeOffset At);

/// <summary>A committed decision replaced by the stand-in the request answered at its deadline.</summary>
public sealed record DecisionRevocation(string TransactionId, long Version, Decision StandIn);

/// <summary>The new state of a transaction row. <see cref="ExpectedVersion"/> is the version the
/// batch read under lock (null: the row must not exist yet); the write must match it exactly.</summary>
public sealed record TransactionWrite(TransactionState State, long? ExpectedVersion, DateTimeOffset At);

/// <summary>One received version, whatever its outcome, with the bytes as sent.</summary>
public sealed record VersionRecord(
    string TransactionId, long Version, VersionOutcome Outcome, byte[] PayloadHash, EventFlags Flags, string RawJson, DateTimeOffset ReceivedAt);

/// <summary>A change of an account's balances. <see cref="IsNew"/>: the row must not exist yet.</summary>
public sealed record AccountWrite(string AccountNo, string Currency, int Exponent, long PostedDelta, long HeldDelta, bool IsNew, DateTimeOffset At);

/// <summary>One line of the journal. Postings on an account are mirrored on its counter account.</summary>
public sealed record JournalLine(
    string TransactionId, long Version, string AccountNo, JournalKind Kind, long Amount, string Currency, int Exponent, DateTimeOffset At);
