using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orian.Authorisation;
using Orian.Domain;

namespace Orian.Ledger;

/// <summary>
/// Applies a batch of received versions in one database transaction: locks the rows involved, runs
/// the version rule, the authorisation decision and the effect function for each event in arrival
/// order, and writes the result. The store's conditional writes make the database itself refuse
/// anything this code would get wrong under concurrency (another instance, a retried batch).
/// </summary>
/// <param name="retried">Told each time a batch is run again, with why: <c>lost_race</c>,
/// <c>commit_not_applied</c> or <c>transient</c> (for a counter).</param>
/// <param name="deliveriesQueued">Told, after a commit, the deliveries the batch queued (only when it
/// queued any), those taken live among them marked with their lease: the dispatcher's cue to claim the others now
/// rather than at its next poll.</param>
/// <param name="live">This instance's dispatcher, which takes the deliveries it has room for from
/// memory after the commit (null: every delivery is left for the claims).</param>
public sealed class LedgerBatchApplier(
    ILedgerStore store, TimeProvider time, AuthorisationPolicy? policy = null, ILogger? logger = null, Action<string>? retried = null,
    Action<IReadOnlyList<Delivery.DeliveryWrite>>? deliveriesQueued = null, Delivery.ILiveDeliveries? live = null)
{
    /// <summary>How often a batch is re-run after losing a race or a deadlock before giving up.</summary>
    public const int MaxAttempts = 3;

    private readonly AuthorisationPolicy _policy = policy ?? AuthorisationPolicy.Default;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <param name="timings">Filled with when each step of the batch's transaction happened (its
    /// last attempt), for the breakdown of where a decision waits; null when nobody asks.</param>
    public Task<ApplyResult[]> ApplyAsync(IReadOnlyList<PendingEvent> batch, CancellationToken cancellationToken, BatchTimings? timings = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(batch.Count);
        return WithRetriesAsync(async () =>
        {
            var ids = batch.Select(p => p.Event.Id).Distinct().Order(StringComparer.Ordinal).ToList();
            var accountNos = batch.SelectMany(p => p.Event.TouchedAccounts());
            var decides = batch.Any(p => p.Ticket is not null);
            return await RunAsync(ids, accountNos, decides,
                (locked, unit) => PlanData.ReadAsync(unit, PlanData.For(batch, locked.Transactions), cancellationToken),
                (plan, _) => Task.FromResult(batch.Select(plan.Apply).ToArray()), cancellationToken, changes => CarryTraces(batch, changes), timings).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Revokes, in one transaction, the decisions of <paramref name="keys"/> that never won their
    /// requests' answers (neither confirmed nor revoked): each is replaced by the stand-in, its hold
    /// released, once. The worker hands over a decision that committed after its request gave up; the
    /// reconciler finds the rest in the database (a crash, a failed confirmation), so nothing here
    /// depends on memory that a crash loses.
    /// </summary>
    /// <param name="inDoubt">For a key whose confirmation was attempted without learning whether it
    /// committed (its request answered the stand-in): that attempt's time (see
    /// <see cref="BatchPlan.RevokeUnconfirmed"/>).</param>
    /// <returns>How many committed decisions were revoked.</returns>
    public Task<int> RevokeUnconfirmedAsync(
        IReadOnlyList<DecisionKey> keys, CancellationToken cancellationToken, IReadOnlyDictionary<DecisionKey, DateTimeOffset>? inDoubt = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var ids = keys.Select(k => k.TransactionId).Distinct().Order(StringComparer.Ordinal).ToList();
        return WithRetriesAsync(() => RunAsync(ids, [], decides: false, (_, _) => Task.FromResult(PlanData.Empty), async (plan, unit) =>
        {
            foreach (var key in keys.Distinct())
            {
                var state = await unit.GetDecisionStateAsync(key.TransactionId, key.Version, cancellationToken).ConfigureAwait(false);
                plan.RevokeUnconfirmed(key, state, inDoubt is not null && inDoubt.TryGetValue(key, out var at) ? at : null);
            }

            return plan.Revocations;
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
            catch (Exception e) when (n < MaxAttempts && (store.IsTransient(e) || e is CommitNotAppliedException))
            {
                // Another writer changed a row we read, the database picked us as a deadlock victim,
                // or a COMMIT failed and did not happen: nothing of the attempt is in the database,
                // so running again from fresh reads is safe.
                var reason = e switch
                {
                    ConcurrencyException => "lost_race",
                    CommitNotAppliedException => "commit_not_applied",
                    _ => "transient",
                };
                LedgerLog.BatchRetried(_logger, n + 1, MaxAttempts, reason, e.GetType().Name, e.Message);
                retried?.Invoke(reason);
            }
        }
    }

    /// <summary>Gives each outbox event the trace context of the request whose event caused it
    /// (same transaction and version); nothing to do when no request of the batch was traced.</summary>
    private static void CarryTraces(IReadOnlyList<PendingEvent> batch, LedgerChanges changes)
    {
        Dictionary<(string, long), string>? traces = null;
        foreach (var pending in batch)
        {
            if (pending.TraceParent is { } trace)
            {
                (traces ??= [])[(pending.Event.Id, pending.Event.Version)] = trace;
            }
        }

        if (traces is null)
        {
            return;
        }

        for (var i = 0; i < changes.Outbox.Count; i++)
        {
            var e = changes.Outbox[i];
            if (e.TransactionId is { } id && e.Version is { } version && traces.TryGetValue((id, version), out var trace))
            {
                changes.Outbox[i] = e with { TraceParent = trace };
            }
        }
    }

    private void Stamp(BatchTimings? timings, Action<BatchTimings, long> set)
    {
        if (timings is not null)
        {
            set(timings, time.GetTimestamp());
        }
    }

    /// <summary>One database transaction: lock, read what the plan needs (<paramref name="prefetch"/>),
    /// plan (pure), write, commit.</summary>
    private async Task<T> RunAsync<T>(
        List<string> ids, IEnumerable<string> eventAccounts, bool decides, Func<LockedRows, ILedgerUnitOfWork, Task<PlanData>> prefetch,
        Func<BatchPlan, ILedgerUnitOfWork, Task<T>> body, CancellationToken cancellationToken, Action<LedgerChanges>? beforeWrite = null,
        BatchTimings? timings = null)
    {
        await using var unit = await store.BeginAsync(decides ? LedgerPriority.Decision : LedgerPriority.Normal, cancellationToken).ConfigureAwait(false);
        Stamp(timings, (t, v) => t.Begun = v);
        var now = time.GetUtcNow();
        DateTimeOffset? day = decides ? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) : null;
        var locked = await unit.LockAsync(ids, [.. new SortedSet<string>(eventAccounts, StringComparer.Ordinal)], day, cancellationToken).ConfigureAwait(false);
        Stamp(timings, (t, v) => t.Locked = v);

        var data = await prefetch(locked, unit).ConfigureAwait(false);
        var plan = new BatchPlan(locked, data, _policy, now);
        var result = await body(plan, unit).ConfigureAwait(false);
        var changes = plan.ToChanges();
        beforeWrite?.Invoke(changes);
        Delivery.FanOut.Apply(changes, locked.Subscriptions, locked.Links);
        Stamp(timings, (t, v) => t.Planned = v);
        var reservation = changes.Deliveries.Count > 0 ? live?.Reserve(changes) : null;
        try
        {
            await unit.WriteAsync(changes, cancellationToken).ConfigureAwait(false);
            Stamp(timings, (t, v) => t.Written = v);
            await CommitAsync(unit, changes, cancellationToken).ConfigureAwait(false);
            Stamp(timings, (t, v) => t.Committed = v);
        }
        catch
        {
            // Not committed, or not known to be: nothing goes out from memory. A lease row that did
            // commit waits to run out, then a claim takes it over and sends what it holds.
            reservation?.Release();
            throw;
        }

        reservation?.Committed(changes);
        foreach (var revocation in changes.Revocations)
        {
            LedgerLog.Revoked(_logger, revocation.TransactionId, revocation.Version, revocation.StandIn.ResultText, revocation.StandIn.Detail);
        }

        if (changes.Deliveries.Count > 0)
        {
            deliveriesQueued?.Invoke(changes.Deliveries);
        }

        return result;
    }

    /// <summary>Commits; a COMMIT that fails (the connection lost while it ran, say) may have happened
    /// or not. Answering "not stored" for a batch that did commit would tell PPS the stand-in while a
    /// hold stands, so the database is asked, on a fresh connection, for a row only this batch wrote.</summary>
    private async Task CommitAsync(ILedgerUnitOfWork unit, LedgerChanges changes, CancellationToken cancellationToken)
    {
        try
        {
            await unit.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (changes.Outbox.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            bool committed;
            try
            {
                committed = await store.HasCommittedAsync(changes.Outbox[0].EventId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception check) when (!cancellationToken.IsCancellationRequested)
            {
                LedgerLog.CommitInDoubt(_logger, e, "unknown: the check failed too (answered 503; the sender's retry is harmless)");
                throw new AmbiguousCommitException(e, check);
            }

            LedgerLog.CommitInDoubt(_logger, e, committed ? "it committed" : "it did not commit (run again)");
            if (!committed)
            {
                throw new CommitNotAppliedException(e);
            }
        }
    }
}

/// <summary>A COMMIT failed and the batch is confirmed not to be in the database: safe to run again.</summary>
public sealed class CommitNotAppliedException(Exception inner) : Exception("The commit failed and did not happen.", inner);

/// <summary>A COMMIT failed and the database could not be asked whether it happened. Transient: a
/// re-sent event is then applied or recognised as a duplicate by the version rule.</summary>
public sealed class AmbiguousCommitException(Exception commitFailure, Exception checkFailure)
    : Exception("The commit failed and whether it happened is unknown.", new AggregateException(commitFailure, checkFailure));
