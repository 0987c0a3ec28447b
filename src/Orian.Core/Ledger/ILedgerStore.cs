namespace Orian.Ledger;

/// <summary>
/// The seam between the ledger rules and a SQL database. One implementation per provider (SQLite,
/// PostgreSQL, later SQL Server); the rules in <see cref="LedgerBatchApplier"/> are shared.
/// </summary>
public interface ILedgerStore
{
    /// <summary>Starts the database transaction one batch is applied in.</summary>
    Task<ILedgerUnitOfWork> BeginAsync(CancellationToken cancellationToken);

    /// <summary>True for failures that a fresh attempt of the whole batch can cure: a lost race
    /// (<see cref="ConcurrencyException"/>), a deadlock victim, a serialization failure.</summary>
    bool IsTransient(Exception exception);
}

/// <summary>
/// One database transaction. Reads lock what they return until commit or dispose (PostgreSQL
/// <c>FOR UPDATE</c>; SQLite holds the database write lock for the whole transaction), so that two
/// service instances on one database serialise on the same transaction and account rows.
/// </summary>
public interface ILedgerUnitOfWork : IAsyncDisposable
{
    /// <summary>
    /// Locks and returns, in one go, the existing transaction rows among <paramref name="transactionIds"/>
    /// and the account rows among <paramref name="accountNos"/> plus those the locked transactions'
    /// effects name (both sorted by key, transactions first, so two batches never wait on each other
    /// in a cycle). With <paramref name="authorisationDay"/>, also the controls and that day's
    /// approved spend of <paramref name="accountNos"/>.
    /// </summary>
    Task<LockedRows> LockAsync(
        IReadOnlyList<string> transactionIds, IReadOnlyList<string> accountNos, DateTimeOffset? authorisationDay, CancellationToken cancellationToken);

    /// <summary>The decision given to a version of a transaction, if any.</summary>
    Task<Authorisation.Decision?> GetDecisionAsync(string transactionId, long version, CancellationToken cancellationToken);

    /// <summary>The raw JSON of the applied <paramref name="version"/> of a transaction, if stored.</summary>
    Task<string?> GetAppliedPayloadAsync(string transactionId, long version, CancellationToken cancellationToken);

    /// <summary>Writes the changes; throws <see cref="ConcurrencyException"/> when a conditional write
    /// finds the database other than the batch read it.</summary>
    Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}
