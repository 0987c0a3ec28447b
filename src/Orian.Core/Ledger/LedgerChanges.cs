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

    /// <summary>The events' deliveries, one per endpoint that wants each (<see cref="Delivery.FanOut"/>).</summary>
    public List<Delivery.DeliveryWrite> Deliveries { get; } = [];

    /// <summary>The leases of the deliveries this instance's dispatcher took live, one per endpoint
    /// (<see cref="Delivery.ILiveDeliveries"/>): written instead of those deliveries' rows.</summary>
    public List<Delivery.LiveLeaseWrite> LiveLeases { get; } = [];

    /// <summary>The subscriptions the deliveries were matched against (as the batch read them).</summary>
    public IReadOnlyList<Delivery.Subscription> Subscriptions { get; set; } = [];

    /// <summary>Linked instructions whose progress the batch's events moved.</summary>
    public List<Delivery.LinkProgressWrite> Links { get; } = [];
}

/// <summary>An authorisation decision as given, with what it was based on and how long it took.
/// <see cref="Deadline"/>: when its request answers the stand-in if the decision has not won the
/// answer by then. <see cref="Confirmed"/>: written as already the answer (a stand-in the worker gave
/// itself because the deadline had passed); every other decision is committed unconfirmed and counts
/// as the answer only once confirmed (docs/authorisation.md).</summary>
public sealed record DecisionRecord(
    string TransactionId, long Version, string? AccountNo, Decision Decision, Money? Amount, double LatencyMs, bool TimedOut, DateTimeOffset At,
    DateTimeOffset Deadline, bool Confirmed);

/// <summary>A version's decision, by key.</summary>
public readonly record struct DecisionKey(string TransactionId, long Version);

/// <summary>A decision committed and never confirmed as its request's answer, with the request's deadline.</summary>
public readonly record struct UnconfirmedDecision(DecisionKey Key, DateTimeOffset Deadline);

/// <summary>A committed decision replaced by the stand-in the request answered at its deadline.
/// <see cref="ConfirmedAt"/>: null for a decision never confirmed; otherwise the time of a confirmation
/// whose outcome this instance never learnt (its request answered the stand-in), which the write must
/// find unchanged.</summary>
public sealed record DecisionRevocation(string TransactionId, long Version, Decision StandIn, DateTimeOffset? ConfirmedAt = null);

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

/// <summary>A committed decision as the ledger holds it now.
/// <see cref="ConfirmedAt"/>: when it was confirmed as its request's answer (or was the stand-in
/// itself); null until then.</summary>
public sealed record DecisionState(Decision Decision, bool Revoked, DateTimeOffset? ConfirmedAt)
{
    public bool Confirmed => ConfirmedAt is not null;
}

/// <summary>A change of an account's balances. <see cref="IsNew"/>: the row must not exist yet.</summary>
public sealed record AccountWrite(string AccountNo, string Currency, int Exponent, long PostedDelta, long HeldDelta, bool IsNew, DateTimeOffset At);

/// <summary>One line of the journal. Postings on an account are mirrored on its counter account.</summary>
public sealed record JournalLine(
    string TransactionId, long Version, string AccountNo, JournalKind Kind, long Amount, string Currency, int Exponent, DateTimeOffset At);
