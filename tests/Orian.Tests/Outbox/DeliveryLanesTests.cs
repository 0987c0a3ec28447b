using System.Collections.Concurrent;
using Orian.Service.Delivery;

namespace Orian.Tests.Outbox;

/// <summary>The senders' lanes: a claimed delivery goes before the live ones waiting in its lane (it is
/// older: a retry, or one a batch left to the claims while the lane was full), only claimed ones count
/// against the claims' share, and the room a lane answers for comes back as each delivery is sent.</summary>
public sealed class DeliveryLanesTests
{
    [Test]
    public async Task AClaimedDeliveryIsSentBeforeTheLiveOnesWaitingInItsLane()
    {
        var sent = new ConcurrentQueue<string>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var done = new CountdownEvent(4);
        using var stop = new CancellationTokenSource();
        var lanes = new DeliveryLanes<string>(total: 1, perEndpoint: 1, liveDepth: 8, async (d, _) =>
        {
            sent.Enqueue(d);
            if (d == "live-1")
            {
                first.SetResult();
                await release.Task; // the one sender is busy while the rest queue up
            }

            done.Signal();
        }, stop.Token);

        foreach (var live in new[] { "live-1", "live-2", "live-3" })
        {
            Assert.That(lanes.TryReserve("we_a"), Is.True);
            lanes.EnqueueLive("we_a", live);
        }

        await first.Task;
        lanes.EnqueueClaimed("we_a", "claimed-1");
        Assert.That(lanes.Busy(), Is.EqualTo(new Dictionary<string, int> { ["we_a"] = 1 }), "the claimed one counts against the claims' share, the live ones do not");
        Assert.That(lanes.Held("we_a"), Is.EqualTo(4), "the lane answers for all four");

        release.SetResult();
        Assert.That(done.Wait(TimeSpan.FromSeconds(30)), Is.True);
        await lanes.DrainedAsync();
        Assert.That(sent, Is.EqualTo(new[] { "live-1", "claimed-1", "live-2", "live-3" }));
        Assert.That(lanes.Held("we_a"), Is.Zero);
        Assert.That(lanes.Busy(), Is.Empty);
    }

    [Test]
    public void ALaneTakesNoMoreLiveDeliveriesThanItsDepthAndGivesBackWhatABatchDidNotUse()
    {
        using var stop = new CancellationTokenSource();
        var lanes = new DeliveryLanes<string>(total: 4, perEndpoint: 2, liveDepth: 3, (_, _) => Task.CompletedTask, stop.Token);
        Assert.That(Enumerable.Range(0, 5).Count(_ => lanes.TryReserve("we_a")), Is.EqualTo(3));
        Assert.That(lanes.TryReserve("we_b"), Is.True, "each endpoint has its own depth");
        lanes.Unreserve("we_a");
        Assert.That(lanes.Held("we_a"), Is.EqualTo(2));
        Assert.That(lanes.TryReserve("we_a"), Is.True);
        Assert.That(lanes.TryReserve("we_a"), Is.False);
    }
}
