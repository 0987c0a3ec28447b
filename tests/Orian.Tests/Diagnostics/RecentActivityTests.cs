using FsCheck;
using FsCheck.Fluent;
using Orian.Domain;
using Orian.Ledger;
using Orian.Service.Diagnostics;
using Orian.Tests.Support;

namespace Orian.Tests.Diagnostics;

/// <summary>The status view's last minute: what falls out of the window, and its percentiles.</summary>
public sealed class RecentActivityTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static ApplyResult Result(VersionOutcome outcome) => new(outcome, 1, EventFlags.None);

    [Test]
    public void CountsAndLatenciesLeaveTheWindowAfterAMinute()
    {
        var time = new ManualTimeProvider(Start, manualTimestamps: true);
        var recent = new RecentActivity(time);
        recent.Applied([Result(VersionOutcome.Applied), Result(VersionOutcome.Applied), Result(VersionOutcome.Duplicate)]);
        recent.Decided(4, standIn: false);
        recent.Delivered(120);
        time.Advance(TimeSpan.FromSeconds(30));
        recent.Applied([Result(VersionOutcome.Stale)]);
        recent.Decided(8, standIn: true);

        var both = recent.Snapshot();
        Assert.That((both.Applied, both.Duplicate, both.Stale, both.Decisions, both.StandIns, both.Delivered), Is.EqualTo((2L, 1L, 1L, 2L, 1L, 1L)));
        Assert.That(both.WindowSeconds, Is.EqualTo(30), "younger than a minute: rates are over the time since start");
        Assert.That((both.DecisionP50, both.DecisionP99, both.LagP50), Is.EqualTo(((double?)4, (double?)8, (double?)120)));

        time.Advance(TimeSpan.FromSeconds(31)); // the first second is now 61 s old
        var later = recent.Snapshot();
        Assert.That((later.Applied, later.Duplicate, later.Stale, later.Decisions, later.StandIns, later.Delivered), Is.EqualTo((0L, 0L, 1L, 1L, 1L, 0L)));
        Assert.That((later.DecisionP50, later.LagP50), Is.EqualTo(((double?)8, (double?)null)));
        Assert.That(later.WindowSeconds, Is.EqualTo(RecentActivity.WindowSeconds));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.That(recent.Snapshot().Events + recent.Snapshot().Decisions, Is.Zero, "an idle minute shows nothing");
    }

    [Test]
    public void PercentilesAreNearestRankOfWhatWasRecorded() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500).WithQuietOnSuccess(true), Prop.ForAll(
            Gen.Choose(0, 100_000).Select(v => v / 10.0).ArrayOf().Where(a => a.Length > 0).ToArbitrary(), values =>
            {
                var time = new ManualTimeProvider(Start, manualTimestamps: true);
                var recent = new RecentActivity(time);
                foreach (var v in values)
                {
                    recent.Decided(v, standIn: false);
                }

                var sorted = values.Order().ToArray();
                var snapshot = recent.Snapshot();
                double Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
                return snapshot.DecisionP50 == Rank(0.50) && snapshot.DecisionP99 == Rank(0.99) && snapshot.Decisions == values.Length
                    && snapshot.DecisionP50 <= snapshot.DecisionP99;
            }));
}
