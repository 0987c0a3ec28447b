using Orian.Domain;

namespace Orian.Ledger;

/// <summary>
/// Applies a batch of received versions in one database transaction: locks the rows involved, runs
/// the version rule and the effect function for each event in arrival order, and writes the result.
/// The store's conditional writes make the database itself refuse anything this code would get wrong
/// under concurrency (another instance, a retried batch).
/// </summary>
public sealed class LedgerBatchApplier(ILedgerStore store, TimeProvider time)
{
    /// <summary>How often a batch is re-run after losing a race or a deadlock before giving up.</summary>
    public const int MaxAttempts = 3;

    public async Task<ApplyResult[]> ApplyAsync(IReadOnlyList<PendingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(batch.Count);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyOnceAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && store.IsTransient(e))
            {
                // Another writer changed a row we read, or the database picked us as a deadlock
                // victim: everything was rolled back, so running the batch again from fresh reads is safe.
            }
        }
    }

    private async Task<ApplyResult[]> ApplyOnceAsync(IReadOnlyList<PendingEvent> batch, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken).ConfigureAwait(false);

        var ids = batch.Select(p => p.Event.Id).Distinct().Order(StringComparer.Ordinal).ToList();
        var transactions = await unit.LockTransactionsAsync(ids, cancellationToken).ConfigureAwait(false);

        var accountNos = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pending in batch)
        {
            if (pending.Event.AccountNo is { } accountNo)
            {
                accountNos.Add(accountNo);
            }
        }

        foreach (var state in transactions.Values)
        {
            if (state.Effect.AccountNo is { } accountNo)
            {
                accountNos.Add(accountNo);
            }
        }

        var accounts = await unit.LockAccountsAsync([.. accountNos], cancellationToken).ConfigureAwait(false);

        var plan = new BatchPlan(transactions, accounts, time.GetUtcNow());
        var results = new ApplyResult[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = await plan.ApplyAsync(unit, batch[i], cancellationToken).ConfigureAwait(false);
        }

        await unit.WriteAsync(plan.ToChanges(), cancellationToken).ConfigureAwait(false);
        await unit.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }
}
