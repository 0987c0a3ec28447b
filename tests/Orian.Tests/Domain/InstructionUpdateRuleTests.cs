using Orian.Orchestrator;

namespace Orian.Tests.Domain;

/// <summary>When a linked transaction's version calls for an instruction update: the one rule the
/// link write and the fan-out share.</summary>
public sealed class InstructionUpdateRuleTests
{
    private static readonly LinkProgress Nothing = new(null, null);

    [Test]
    public void AFirstMappedStatusIsQueued()
    {
        var (next, queue) = InstructionUpdateRule.Decide(Nothing, 1, "AUTHORISED", "APPROVED");
        Assert.That(queue, Is.EqualTo(InstructionStatus.Processing));
        Assert.That(next, Is.EqualTo(new LinkProgress(InstructionStatus.Processing, 1)));
    }

    [Test]
    public void TheSameStatusAgainIsNotQueuedButItsVersionIsRemembered()
    {
        var (next, queue) = InstructionUpdateRule.Decide(new LinkProgress(InstructionStatus.Processing, 1), 2, "AUTHORISED", "APPROVED");
        Assert.That(queue, Is.Null);
        Assert.That(next, Is.EqualTo(new LinkProgress(InstructionStatus.Processing, 2)));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void AVersionNoNewerThanTheNewestSeenChangesNothing(long version)
    {
        var seen = new LinkProgress(InstructionStatus.Settled, 2);
        var (next, queue) = InstructionUpdateRule.Decide(seen, version, "CANCELLED", "APPROVED");
        Assert.That(queue, Is.Null);
        Assert.That(next, Is.EqualTo(seen), "an older version never moves the instruction back");
    }

    [Test]
    public void AStatusThatMapsToNothingIsRememberedAndNotQueued()
    {
        var (next, queue) = InstructionUpdateRule.Decide(new LinkProgress(InstructionStatus.Processing, 1), 2, "AUTHORISATION_REQUESTED", null);
        Assert.That(queue, Is.Null);
        Assert.That(next, Is.EqualTo(new LinkProgress(InstructionStatus.Processing, 2)));
    }

    [TestCase("COMPLETE", "APPROVED", InstructionStatus.Settled)]
    [TestCase("COMPLETE", "DECLINED", InstructionStatus.Failed)]
    [TestCase("EXPIRED", "APPROVED", InstructionStatus.Void)]
    public void ANewerChangeOfStatusIsQueued(string status, string result, string expected)
    {
        var (next, queue) = InstructionUpdateRule.Decide(new LinkProgress(InstructionStatus.Processing, 1), 5, status, result);
        Assert.That(queue, Is.EqualTo(expected));
        Assert.That(next, Is.EqualTo(new LinkProgress(expected, 5)));
    }

    [Test]
    public void AnyOrderOfVersionsEndsWithTheHighestVersionsStatus()
    {
        var versions = new[] { (1L, "AUTHORISED"), (2L, "COMPLETE"), (3L, "CANCELLED") };
        foreach (var order in new[] { new[] { 0, 1, 2 }, new[] { 2, 1, 0 }, new[] { 1, 2, 0 }, new[] { 2, 0, 1 } })
        {
            var progress = Nothing;
            var queued = new List<string>();
            foreach (var i in order)
            {
                (progress, var queue) = InstructionUpdateRule.Decide(progress, versions[i].Item1, versions[i].Item2, "APPROVED");
                if (queue is not null)
                {
                    queued.Add(queue);
                }
            }

            Assert.That(progress, Is.EqualTo(new LinkProgress(InstructionStatus.Void, 3)), string.Join(",", order));
            Assert.That(queued[^1], Is.EqualTo(InstructionStatus.Void));
        }
    }
}
