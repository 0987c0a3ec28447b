using Orian.Authorisation;
using Orian.Domain;

namespace Orian.Ledger;

/// <summary>
/// Applies a batch of received versions in one database transaction: locks the rows involved, runs
/// the version rule, the authorisation decision and the effect function for each event in arrival
/// order, and writes the result. The store's conditional writes make the database itself refuse
/// anything this code would get wrong under concurrency (another instance, a retried batch).
/// </summary>
public sealed class LedgerBatchApplier(ILedgerStore store, TimeProvider time, AuthorisationPolicy? policy = null)
{
    /// <summary>How often a batch is re-run after losing a race or a deadlock before giving up.</summary>
    public const int MaxAttempts = 3;

    private readonly AuthorisationPolicy _policy = policy ?? AuthorisationPolicy.Default;

    public Task<ApplyResult[]> ApplyAsync(IReadOnlyList<PendingEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(batch.Count);
        return WithRetriesAsync(async () =>
        {
            var ids = batch.Select(p => p.Event.Id).Distinct().Order(StringComparer.Ordinal).ToList();
            var accountNos = batch.Select(p => p.Event.AccountNo).OfType<string>();
            var decides = batch.Any(p => p.Ticket is not null);
            return await RunAsync(ids, accountNos, decides, async (plan, unit) =>
            {
                var results = new ApplyResult[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = await plan.ApplyAsync(unit, batch[i], cancellationToken).ConfigureAwait(false);
                }

                return results;
            }, cancellationToken).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Replaces committed decisions by the stand-in their requests were answered with at the deadline,
    /// releasing the holds they placed: the ledger must agree with what PPS was told.
    /// </summary>
    public Task RevokeAsync(IReadOnlyList<DecisionRevocation> revocations, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(revocations.Count);
        var ids = revocations.Select(r => r.TransactionId).Distinct().Order(StringComparer.Ordinal).ToList();
        return WithRetriesAsync(() => RunAsync(ids, [], decides: false, (plan, _) =>
        {
            foreach (var r in revocations)
            {
                plan.Revoke(r.TransactionId, r.Version, r.StandIn);
            }

            return Task.FromResult(true);
        }, cancellationToken));
    }

    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> attempt)
    {
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (Exception e) when (n < MaxAttempts && store.IsTransient(e))
            {
                // Another writer changed a row we read, or the database picked us as a deadlock
                // victim: everything was rolled back, so running again from fresh reads is safe.
            }
        }
    }

    private async Task<T> RunAsync<T>(
        List<string> ids, IEnumerable<string> eventAccounts, bool decides, Func<BatchPlan, ILedgerUnitOfWork, Task<T>> body, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        DateTimeOffset? day = decides ? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) : null;
        var locked = await unit.LockAsync(ids, [.. new SortedSet<string>(eventAccounts, StringComparer.Ordinal)], day, cancellationToken).ConfigureAwait(false);

        var plan = new BatchPlan(locked.Transactions, locked.Accounts, locked.Authorisation, _policy, now);
        var result = await body(plan, unit).ConfigureAwait(false);
        await unit.WriteAsync(plan.ToChanges(), cancellationToken).ConfigureAwait(false);
        await unit.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
