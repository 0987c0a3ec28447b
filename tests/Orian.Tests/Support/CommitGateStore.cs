using Orian.Authorisation;
using Orian.Ledger;

namespace Orian.Tests.Support;

/// <summary>
/// The real store, whose commits (or, with <see cref="GateBegin"/>, whose transactions) wait while
/// the test holds the gate closed: a forced slow commit without sleeping. Open by default. It can
/// also inject the faults a network and a database produce: a COMMIT that fails after or instead of
/// happening, and a database that stops accepting transactions from this instance.
/// </summary>
internal sealed class CommitGateStore(ILedgerStore inner) : ILedgerStore
{
    private TaskCompletionSource _open = Opened();
    private TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Hold transactions at their start instead of at their commit.</summary>
    public bool GateBegin { get; set; }

    /// <summary>Hold only the transactions of this priority (all when null): notification batches
    /// alone, say, while decisions pass.</summary>
    public LedgerPriority? Only { get; set; }

    /// <summary>Completes when a deciding transaction is about to begin.</summary>
    public Task DecisionBegun => _decisionBegun.Task;

    private readonly TaskCompletionSource _decisionBegun = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _beginHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _beginHold;
    private LedgerPriority _beginHoldOf;

    /// <summary>From now, transactions of <paramref name="priority"/> wait before they begin, apart from
    /// (and whatever the state of) the commit gate, until <see cref="ReleaseBegins"/>.</summary>
    public void HoldBegins(LedgerPriority priority)
    {
        _beginHoldOf = priority;
        _beginHold = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseBegins() => _beginHold?.TrySetResult();

    /// <summary>Completes when a transaction is waiting under <see cref="HoldBegins"/>.</summary>
    public Task BeginHeld => _beginHeld.Task;

    /// <summary>The next COMMIT happens, then fails as if the connection dropped before the answer.</summary>
    public bool FailAfterNextCommit { get; set; }

    /// <summary>The next COMMIT fails without happening (the transaction is rolled back).</summary>
    public bool FailInsteadOfNextCommit { get; set; }

    /// <summary>After the injected failure of <see cref="FailInsteadOfNextCommit"/>, nothing else from
    /// this instance reaches the database: it died with its transaction rolled back.</summary>
    public bool RefuseAfterFailedCommit { get; set; }

    /// <summary>Every new transaction fails to start: this instance has lost its database.</summary>
    public bool RefuseTransactions { get; set; }

    /// <summary>Transactions started after a gated commit let go fail (set with <see cref="Close"/>):
    /// the database is lost between a late commit and whatever was to follow it.</summary>
    public bool RefuseAfterGate { get; set; }

    /// <summary>Completes when a unit of work is waiting at the closed gate.</summary>
    public Task Waiting => _waiting.Task;

    public void Close()
    {
        _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Open() => _open.TrySetResult();

    public async Task<ILedgerUnitOfWork> BeginAsync(LedgerPriority priority, CancellationToken cancellationToken)
    {
        if (RefuseTransactions)
        {
            throw new TimeoutException("Injected: the database cannot be reached.");
        }

        if (_beginHold is { } hold && priority == _beginHoldOf && !hold.Task.IsCompleted)
        {
            _beginHeld.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken);
            if (RefuseTransactions)
            {
                throw new TimeoutException("Injected: the database cannot be reached.");
            }
        }

        var gated = Only is null || Only == priority;
        if (GateBegin && gated)
        {
            await PassAsync(cancellationToken);
        }

        if (priority == LedgerPriority.Decision)
        {
            _decisionBegun.TrySetResult();
        }

        return new Unit(await inner.BeginAsync(priority, cancellationToken), this, gated);
    }

    public bool IsTransient(Exception exception) => inner.IsTransient(exception);

    public Task<bool> HasCommittedAsync(string outboxEventId, CancellationToken cancellationToken) => inner.HasCommittedAsync(outboxEventId, cancellationToken);

    /// <summary>From now, every confirmation waits before it reaches the database until
    /// <see cref="ReleaseConfirms"/>; <see cref="ConfirmHeld"/> completes when one is waiting.</summary>
    public void HoldConfirms() => _confirmHold = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseConfirms() => _confirmHold?.TrySetResult();

    public Task ConfirmHeld => _confirmHeld.Task;

    private readonly TaskCompletionSource _confirmHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _confirmHold;

    /// <summary>How many confirmation statements reached the database.</summary>
    public int Confirmations => _confirmations;

    private int _confirmations;

    public async Task<IReadOnlyCollection<DecisionKey>> ConfirmDecisionsAsync(IReadOnlyList<DecisionKey> keys, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (_confirmHold is { } hold && !hold.Task.IsCompleted)
        {
            _confirmHeld.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (RefuseTransactions)
        {
            throw new TimeoutException("Injected: the database cannot be reached.");
        }

        Interlocked.Increment(ref _confirmations);
        return await inner.ConfirmDecisionsAsync(keys, at, cancellationToken);
    }

    public Task<IReadOnlyList<UnconfirmedDecision>> GetUnconfirmedDecisionsAsync(
        DateTimeOffset deadlineBefore, UnconfirmedDecision? after, int limit, CancellationToken cancellationToken) =>
        RefuseTransactions
            ? throw new TimeoutException("Injected: the database cannot be reached.")
            : inner.GetUnconfirmedDecisionsAsync(deadlineBefore, after, limit, cancellationToken);

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        var open = _open;
        if (!open.Task.IsCompleted)
        {
            _waiting.TrySetResult();
            await open.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private sealed class Unit(ILedgerUnitOfWork inner, CommitGateStore gate, bool gated) : ILedgerUnitOfWork
    {
        public Task<LockedRows> LockAsync(
            IReadOnlyList<string> transactionIds, IReadOnlyList<string> accountNos, DateTimeOffset? authorisationDay, CancellationToken cancellationToken) =>
            inner.LockAsync(transactionIds, accountNos, authorisationDay, cancellationToken);

        public Task<Decision?> GetDecisionAsync(string transactionId, long version, CancellationToken cancellationToken) =>
            inner.GetDecisionAsync(transactionId, version, cancellationToken);

        public Task<AppliedBody?> GetAppliedPayloadAsync(string transactionId, long version, CancellationToken cancellationToken) =>
            inner.GetAppliedPayloadAsync(transactionId, version, cancellationToken);

        public Task<DecisionState?> GetDecisionStateAsync(string transactionId, long version, CancellationToken cancellationToken) =>
            inner.GetDecisionStateAsync(transactionId, version, cancellationToken);

        public Task<bool> HasPayloadAsync(string transactionId, byte[] payloadHash, CancellationToken cancellationToken) =>
            inner.HasPayloadAsync(transactionId, payloadHash, cancellationToken);

        public Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken) => inner.WriteAsync(changes, cancellationToken);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (!gate.GateBegin && gated)
            {
                var closed = !gate._open.Task.IsCompleted;
                await gate.PassAsync(cancellationToken);
                if (closed && gate.RefuseAfterGate)
                {
                    gate.RefuseTransactions = true; // from the instant this commit lands, nothing else gets in
                }
            }

            if (gate.FailInsteadOfNextCommit)
            {
                gate.FailInsteadOfNextCommit = false;
                gate.RefuseTransactions |= gate.RefuseAfterFailedCommit;
                throw new TimeoutException("Injected: the connection dropped before the COMMIT reached the database.");
            }

            await inner.CommitAsync(cancellationToken);
            if (gate.FailAfterNextCommit)
            {
                gate.FailAfterNextCommit = false;
                throw new TimeoutException("Injected: the connection dropped after the COMMIT, before its answer.");
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
