using System.Threading.Channels;
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
/// <para>One loop serves every partition: the confirmations that queue while one is being written go
/// together in the next (a group commit), so under load a confirmation costs a fraction of a
/// statement per decision, and a worker never waits for it unless the queue is full.</para>
/// </summary>
internal sealed class DecisionConfirmations(
    ILedgerStore store, StandInReconciler reconciler, AuthorisationPolicy policy, IOptions<IngressOptions> ingress, TimeProvider time,
    ILogger<DecisionConfirmations> logger)
{
    /// <summary>The most keys one statement confirms.</summary>
    private const int MaxPerStatement = 500;

    private readonly Channel<(WorkItem Item, ApplyResult Result)> _queue = Channel.CreateBounded<(WorkItem, ApplyResult)>(
        new BoundedChannelOptions(4 * MaxPerStatement) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues a decision that won its request's answer; the request is answered once it is
    /// confirmed. Waits (the worker with it) only while the queue is full.</summary>
    public ValueTask AddAsync(WorkItem item, ApplyResult result) => _queue.Writer.WriteAsync((item, result));

    /// <summary>No more decisions will come (the workers have stopped): the loop confirms what is
    /// queued and ends.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync()
    {
        var batch = new List<(WorkItem Item, ApplyResult Result)>(MaxPerStatement);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxPerStatement && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await ConfirmAsync(batch).ConfigureAwait(false);
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

        foreach (var (item, result) in batch)
        {
            if (confirmed.Contains(Key(item)))
            {
                item.Complete(result);
                continue;
            }

            // Revoked first (another instance's reconciler, a long stall past the deadline), or a
            // re-sent version with no decision of its own: the stand-in is what the ledger says.
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
