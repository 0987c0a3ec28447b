using Orian.Service.Configuration;
using Orian.Service.Pipeline;
using Orian.Tests.Support;

namespace Orian.Tests.Authorisation;

/// <summary>Decisions must not queue behind notifications: a partition puts authorisation requests
/// in a lane of their own, which its own worker takes in batches of their own.</summary>
public sealed class PartitionPriorityTests
{
    private static WorkItem Item(Txn txn) => new(txn.Pending());

    [Test]
    public void AnAuthorisationGoesToItsOwnLaneWhateverIsQueuedBeforeIt()
    {
        var partition = new Partition(new PipelineOptions { PartitionCapacity = 100 });
        for (var i = 0; i < 10; i++)
        {
            Assert.That(partition.TryWrite(Item(new Txn { Id = $"N{i}" })), Is.True);
        }

        Assert.That(partition.TryWrite(Item(new Txn { Id = "AUTH", Status = "AUTHORISATION_REQUESTED", Result = null })), Is.True);

        var decisions = new List<WorkItem>();
        partition.Decisions.Take(decisions, max: 256);
        Assert.That(decisions.Select(w => w.Pending.Event.Id), Is.EqualTo(new[] { "AUTH" }));

        var notifications = new List<WorkItem>();
        partition.Notifications.Take(notifications, max: 4);
        partition.Notifications.Take(notifications, max: 256);
        Assert.That(notifications.Select(w => w.Pending.Event.Id), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"N{i}")), "in the order accepted");
    }

    [Test]
    public void EachLaneIsBoundedOnItsOwn()
    {
        var partition = new Partition(new PipelineOptions { PartitionCapacity = 2 });
        Assert.That(partition.TryWrite(Item(new Txn { Id = "N1" })), Is.True);
        Assert.That(partition.TryWrite(Item(new Txn { Id = "N2" })), Is.True);
        Assert.That(partition.TryWrite(Item(new Txn { Id = "N3" })), Is.False, "notifications are full");
        Assert.That(partition.TryWrite(Item(new Txn { Id = "A1", Status = "AUTHORISATION_REQUESTED", Result = null })), Is.True, "a full notification lane does not block decisions");
    }

    [Test]
    public void ALaneKnowsWhetherItsWorkerTookWorkLately()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero), manualTimestamps: true);
        var lane = new Partition(new PipelineOptions { PartitionCapacity = 10 }).Decisions;
        Assert.That(lane.TookWithin(time, time.GetTimestamp(), TimeSpan.FromSeconds(1)), Is.False, "never took anything");

        lane.Take([], max: 10, time.GetTimestamp());
        Assert.That(lane.TookWithin(time, time.GetTimestamp(), TimeSpan.FromSeconds(1)), Is.False, "an empty look is not work");

        Assert.That(lane.TryWrite(Item(new Txn { Id = "A1", Status = "AUTHORISATION_REQUESTED", Result = null })), Is.True);
        lane.Take([], max: 10, time.GetTimestamp());
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That(lane.TookWithin(time, time.GetTimestamp(), TimeSpan.FromSeconds(1)), Is.True);
        time.Advance(TimeSpan.FromMilliseconds(2));
        Assert.That(lane.TookWithin(time, time.GetTimestamp(), TimeSpan.FromSeconds(1)), Is.False);
    }
}
