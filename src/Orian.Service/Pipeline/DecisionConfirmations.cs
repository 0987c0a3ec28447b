using Microsoft.Extensions.Options;
using Orian.Authorisation;
using Orian.Ledger;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;

namespace Orian.Service.Pipeline;

/// <summary>
/// The last step before a decision is answered: a decision that won its request's answer (the worker
/// completed the ticket before the deadline) is confirmed in the database, and only then sent. A
/// decision never confirmed is one no cardholder was told, and the reconciler revokes it once its
/// deadline has passed, from the database alone (docs/authorisation.md, "Every late decision
/// revoked"). So a crash anywhere between the deciding commit and the answer leaves a decision that
/// is revoked, and a crash after the confirmation leaves one that stands, as PPS may have heard it.
/// <para>The worker that committed the decisions starts their confirmation itself, one statement for
/// the batch, and goes on to its next batch without waiting for it. A queue with loops of its own
/// between the two (one loop, or four) measured no better under load and added a hop to every
/// decision (the shapes tried: benchmarks/README.md).</para>
/// </summary>
internal sealed class DecisionConfirmations(
    ILedgerStore store, StandInReconciler reconciler, AuthorisationPolicy policy, IOptions<IngressOptions> ingress, TimeProvider time,
    ILogger<DecisionConfirmations> logger)
{
    /// <summary>Confirmations under way at most; a worker with a batch to confirm past it waits.</summary>
    private const int MaxInFlight = 64;

    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);

    /// <summary>Starts confirming <paramref name="batch"/> (decisions that won their requests'
    /// answers); each request is answered once its decision is confirmed. Returns once the statement
    /// is on its way, waiting only while <see cref="MaxInFlight"/> confirmations are.</summary>
    public async ValueTask StartAsync(List<(WorkItem Item, ApplyResult Result)> batch)
    {
        await _slots.WaitAsync().ConfigureAwait(false);
        _ = RunAsync(batch);
    }

    /// <summary>Waits for every confirmation under way (the workers have stopped).</summary>
    public async Task DrainAsync()
    {
        for (var i = 0; i < MaxInFlight; i++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }

        _slots.Release(MaxInFlight);
    }

    private async Task RunAsync(List<(WorkItem Item, ApplyResult Result)> batch)
    {
        try
        {
            await ConfirmAsync(batch).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // ConfirmAsync answers every request itself; this only guards against a bug leaving one waiting.
            foreach (var (item, _) in batch)
            {
                item.Fail(e);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task ConfirmAsync(List<(WorkItem Item, ApplyResult Result)> batch)
    {
        var keys = batch.Select(x => Key(x.Item)).Distinct().ToList();
        // One time for both attempts, in whole milliseconds (every provider stores it exactly), so a
        // confirmation in doubt can be recognised later by its value alone.
        var now = time.GetUtcNow();
        var at = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        IReadOnlyCollection<DecisionKey> confirmed;
        // Bounded like a commit the request waits for; the COMMIT itself is never cancelled (a
        // commit waiting for a standby runs on), only the wait for a connection and the statement.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(ingress.Value.CommitTimeoutMs), time))
        {
            try
            {
                confirmed = await ConfirmTwiceAsync(keys, at, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Either attempt may have committed before it failed (a primary lost after a standby
                // had the COMMIT, before its answer): the requests answer the stand-in, and the
                // reconciler revokes each decision that is unconfirmed or confirmed at exactly `at`,
                // which only these attempts wrote (a confirmation keeps the first time it was given).
                Log.ConfirmationFailed(logger, e, keys.Count);
                reconciler.Revoke(keys, inDoubt: at);
                foreach (var (item, _) in batch)
                {
                    item.Fail(new DecisionNotConfirmedException(e));
                }

                return;
            }
        }

        var confirmedAt = time.GetTimestamp();
        foreach (var (item, result) in batch)
        {
            if (confirmed.Contains(Key(item)))
            {
                item.Pending.Ticket?.Timings.Confirmed = confirmedAt;
                item.Complete(result);
                continue;
            }

            // Revoked first (another instance's reconciler, after a stall past the deadline and the
            // grace): the stand-in is what the ledger says.
            Log.NotConfirmed(logger, Untrusted.Id(item.Pending.Event.Id), item.Pending.Event.Version);
            item.Complete(result with { Decision = policy.StandIn("the decision was revoked before it became the answer"), StandInCause = "revoked" });
        }
    }

    /// <summary>A confirmation is idempotent, so a failed one is tried once more at once: the second
    /// attempt reports what stands whatever the first did.</summary>
    private async Task<IReadOnlyCollection<DecisionKey>> ConfirmTwiceAsync(List<DecisionKey> keys, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ConfirmDecisionsAsync(keys, at, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && store.IsTransient(e))
        {
            return await store.ConfirmDecisionsAsync(keys, at, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DecisionKey Key(WorkItem item) => new(item.Pending.Event.Id, item.Pending.Event.Version);
}

/// <summary>A decision committed but could not be confirmed as its request's answer: the request
/// answers the stand-in, and the reconciler revokes the decision.</summary>
public sealed class DecisionNotConfirmedException(Exception inner)
    : Exception("The decision could not be confirmed as the answer.", inner);
