namespace Orian.Ledger;

/// <summary>
/// The seam between the ledger rules and a SQL database. One implementation per provider (SQLite,
/// PostgreSQL, SQL Server); the rules in <see cref="LedgerBatchApplier"/> are shared.
/// </summary>
public interface ILedgerStore
{
    /// <summary>Starts the database transaction one batch is applied in. A database with one writer
    /// at a time lets <see cref="LedgerPriority.Decision"/> work go before waiting notification
    /// batches; one with row locks begins at once either way.</summary>
    Task<ILedgerUnitOfWork> BeginAsync(LedgerPriority priority, CancellationToken cancellationToken);

    /// <summary>
    /// True for failures that another attempt can cure: a lost race (<see cref="ConcurrencyException"/>),
    /// a deadlock victim, a serialization failure, a lost or refused connection, a timeout, a busy or
    /// full database. False for everything a retry would meet again (a constraint the data breaks, a
    /// value the database refuses, a bug). Each provider lists its error codes here, and this is the
    /// only place they are classified: a batch is re-run on true, and a request answered 503 on true,
    /// 4xx/500 on false (<c>docs/edge.md</c>).
    /// </summary>
    bool IsTransient(Exception exception);

    /// <summary>Whether the batch that wrote the outbox event <paramref name="outboxEventId"/> has
    /// committed: asked on a fresh connection after a COMMIT failed without saying whether it happened.</summary>
    Task<bool> HasCommittedAsync(string outboxEventId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the decisions of <paramref name="keys"/> as their requests' answers, in a transaction of
    /// its own whose commit a synchronous standby confirms, unless one was revoked first (the database
    /// decides, under the row's lock, which of the two came first). Returns the keys whose decision
    /// stands confirmed (now or before); a key missing from it was revoked or has no decision, and its
    /// request must answer the stand-in. Idempotent.
    /// </summary>
    Task<IReadOnlyCollection<DecisionKey>> ConfirmDecisionsAsync(IReadOnlyList<DecisionKey> keys, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Decisions neither confirmed nor revoked whose deadline is before
    /// <paramref name="deadlineBefore"/>, in (deadline, key) order, starting after <paramref name="after"/>:
    /// a keyset page, so that every one is reached however many there are.</summary>
    Task<IReadOnlyList<UnconfirmedDecision>> GetUnconfirmedDecisionsAsync(
        DateTimeOffset deadlineBefore, UnconfirmedDecision? after, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// One database transaction. Reads lock what they return until commit or dispose (PostgreSQL
/// <c>FOR UPDATE</c>; SQL Server <c>UPDLOCK, HOLDLOCK</c>; SQLite holds the database write lock for the whole transaction), so that two
/// service instances on one database serialise on the same transaction and account rows.
/// </summary>
public interface ILedgerUnitOfWork : IAsyncDisposable
{
    /// <summary>
    /// Locks and returns, in one go, the existing transaction rows among <paramref name="transactionIds"/>
    /// and the account rows among <paramref name="accountNos"/> plus those the locked transactions'
    /// effects name, a transfer's payee included (both sorted by key, transactions first, so two
    /// batches never wait on each other in a cycle). With <paramref name="authorisationDay"/>, also
    /// the controls of <paramref name="accountNos"/> and what each has spent since that day began,
    /// as it stands (the current debit effects of its transactions first seen that day).
    /// </summary>
    Task<LockedRows> LockAsync(
        IReadOnlyList<string> transactionIds, IReadOnlyList<string> accountNos, DateTimeOffset? authorisationDay, CancellationToken cancellationToken);

    /// <summary>The decision given to a version of a transaction, if any.</summary>
    Task<Authorisation.Decision?> GetDecisionAsync(string transactionId, long version, CancellationToken cancellationToken);

    /// <summary>The decision of a version with its revocation flag and time, if any.</summary>
    Task<DecisionState?> GetDecisionStateAsync(string transactionId, long version, CancellationToken cancellationToken);

    /// <summary>The raw JSON of the applied <paramref name="version"/> of a transaction, if stored.</summary>
    Task<AppliedBody?> GetAppliedPayloadAsync(string transactionId, long version, CancellationToken cancellationToken);

    /// <summary>Whether a body with this hash is already stored for the transaction.</summary>
    Task<bool> HasPayloadAsync(string transactionId, byte[] payloadHash, CancellationToken cancellationToken);

    /// <summary>Writes the changes; throws <see cref="ConcurrencyException"/> when a conditional write
    /// finds the database other than the batch read it.</summary>
    Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>Who waits least for a database that can only write one transaction at a time.</summary>
public enum LedgerPriority
{
    /// <summary>Notification batches, settlements: in turn.</summary>
    Normal,

    /// <summary>A batch that decides authorisations: a cardholder is waiting at the till.</summary>
    Decision,
}
