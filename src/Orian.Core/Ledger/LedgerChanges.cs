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

    /// <summary>Stand-in answers to record (each at most once: an existing record is kept).</summary>
    public List<StandInRecord> StandIns { get; } = [];

    /// <summary>Open stand-in records this batch settles, with what was done.</summary>
    public List<StandInResolution> ResolvedStandIns { get; } = [];
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

/// <summary>One received version, whatever its outcome: its keyed hashes and time always; its body
/// (as <see cref="Edge.StoredBody"/> keeps it) only when it was applied or is a conflicting payload
/// not stored before, so that re-sends and retry storms grow the audit trail by a small row each,
/// not by a body each.</summary>
public sealed record VersionRecord(
    string TransactionId, long Version, VersionOutcome Outcome, byte[] PayloadHash, string PayloadKeyId, byte[] RedactedHash, EventFlags Flags,
    string? RawJson, DateTimeOffset ReceivedAt);

/// <summary>The stored body of an applied version, as the version rule's second comparison needs it:
/// the text (null once purged), and the keyed digest of what was redacted from it (null for a body
/// stored before redactions were recorded) under <see cref="KeyId"/>.</summary>
public sealed record AppliedBody(string? Json, byte[]? RedactedHash, string? KeyId);

/// <summary>An authorisation request answered with the stand-in at its deadline (or on a failure),
/// recorded durably so that a decision committed for it anyway is revoked, even after a crash.</summary>
public sealed record StandInRecord(string TransactionId, long Version, Decision StandIn, DateTimeOffset AnsweredAt);

/// <summary>How an open stand-in record was settled (<see cref="StandInResolutions"/>).</summary>
public sealed record StandInResolution(string TransactionId, long Version, string Resolution);

/// <summary>The ways a stand-in record is settled.</summary>
public static class StandInResolutions
{
    /// <summary>A decision had been committed for the request: it is replaced by the stand-in and its hold released.</summary>
    public const string Revoked = "revoked";
    /// <summary>The committed decision already agrees with the stand-in (the worker recorded the stand-in itself, or it was revoked before).</summary>
    public const string AlreadyAgrees = "already_agrees";
    /// <summary>The decision on record was made after the stand-in was answered (a re-sent request): it stands.</summary>
    public const string DecidedLater = "decided_later";
    /// <summary>No decision was committed for the request within the horizon: nothing to undo.</summary>
    public const string NoDecision = "no_decision";
}

/// <summary>A committed decision as the ledger holds it now.</summary>
public sealed record DecisionState(Decision Decision, bool Revoked, DateTimeOffset DecidedAt);

/// <summary>A change of an account's balances. <see cref="IsNew"/>: the row must not exist yet.</summary>
public sealed record AccountWrite(string AccountNo, string Currency, int Exponent, long PostedDelta, long HeldDelta, bool IsNew, DateTimeOffset At);

/// <summary>One line of the journal. Postings on an account are mirrored on its counter account.</summary>
public sealed record JournalLine(
    string TransactionId, long Version, string AccountNo, JournalKind Kind, long Amount, string Currency, int Exponent, DateTimeOffset At);
