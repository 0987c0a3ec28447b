using Orian.Authorisation;
using Orian.Ledger;

namespace Orian.Tests.Support;

/// <summary>
/// The real store, whose commits (or, with <see cref="GateBegin"/>, whose transactions) wait while
/// the test holds the gate closed: a forced slow commit without sleeping. Open by default.
/// </summary>
internal sealed class CommitGateStore(ILedgerStore inner) : ILedgerStore
{
    private TaskCompletionSource _open = Opened();
    private TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Hold transactions at their start instead of at their commit.</summary>
    public bool GateBegin { get; set; }

    /// <summary>Completes when a unit of work is waiting at the closed gate.</summary>
    public Task Waiting => _waiting.Task;

    public void Close()
    {
        _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Open() => _open.TrySetResult();

    public async Task<ILedgerUnitOfWork> BeginAsync(CancellationToken cancellationToken)
    {
        if (GateBegin)
        {
            await PassAsync(cancellationToken);
        }

        return new Unit(await inner.BeginAsync(cancellationToken), this);
    }

    public bool IsTransient(Exception exception) => inner.IsTransient(exception);

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

    private sealed class Unit(ILedgerUnitOfWork inner, CommitGateStore gate) : ILedgerUnitOfWork
    {
        public Task<LockedRows> LockAsync(
            IReadOnlyList<string> transactionIds, IReadOnlyList<string> accountNos, DateTimeOffset? authorisationDay, CancellationToken cancellationToken) =>
            inner.LockAsync(transactionIds, accountNos, authorisationDay, cancellationToken);

        public Task<Decision?> GetDecisionAsync(string transactionId, long version, CancellationToken cancellationToken) =>
            inner.GetDecisionAsync(transactionId, version, cancellationToken);

        public Task<string?> GetAppliedPayloadAsync(string transactionId, long version, CancellationToken cancellationToken) =>
            inner.GetAppliedPayloadAsync(transactionId, version, cancellationToken);

        public Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken) => inner.WriteAsync(changes, cancellationToken);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (!gate.GateBegin)
            {
                await gate.PassAsync(cancellationToken);
            }

            await inner.CommitAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
