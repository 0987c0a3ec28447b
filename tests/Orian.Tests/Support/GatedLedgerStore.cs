using Orian.Ledger;

namespace Orian.Tests.Support;

/// <summary>
/// The real store behind a gate the test opens: a batch that reaches the database waits until
/// <see cref="Release"/>. Lets a test fill a partition deterministically, without sleeping.
/// </summary>
internal sealed class GatedLedgerStore(ILedgerStore inner) : ILedgerStore
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first batch is waiting at the gate.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.TrySetResult();

    public async Task<ILedgerUnitOfWork> BeginAsync(LedgerPriority priority, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
        return await inner.BeginAsync(priority, cancellationToken);
    }

    public bool IsTransient(Exception exception) => inner.IsTransient(exception);

    public Task<bool> HasCommittedAsync(string outboxEventId, CancellationToken cancellationToken) => inner.HasCommittedAsync(outboxEventId, cancellationToken);

    public Task<IReadOnlyCollection<DecisionKey>> ConfirmDecisionsAsync(IReadOnlyList<DecisionKey> keys, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.ConfirmDecisionsAsync(keys, at, cancellationToken);

    public Task<IReadOnlyList<UnconfirmedDecision>> GetUnconfirmedDecisionsAsync(
        DateTimeOffset deadlineBefore, UnconfirmedDecision? after, int limit, CancellationToken cancellationToken) =>
        inner.GetUnconfirmedDecisionsAsync(deadlineBefore, after, limit, cancellationToken);
}
