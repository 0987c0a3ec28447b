using FsCheck;
using FsCheck.Fluent;
using Orian.Delivery;
using Orian.Storage;

namespace Orian.Tests.Outbox;

/// <summary>How one claim is shared among the endpoints with due work: never beyond the claim's size
/// or an endpoint's free slots, nothing for an endpoint whose circuit is open, nothing wasted while an
/// endpoint could take more, and no endpoint favoured over another by more than one delivery.</summary>
public sealed class ClaimSharesTests
{
    private static readonly Gen<(ClaimLimits Limits, string[] Due)> Cases =
        from total in Gen.Choose(0, 300)
        from perEndpoint in Gen.Choose(1, 64)
        from count in Gen.Choose(0, 12)
        from busy in Gen.Choose(0, 70).ArrayOf(count)
        from skipped in Gen.Elements(true, false, false, false).ArrayOf(count)
        let due = Enumerable.Range(0, count).Select(i => $"we_{i}").ToArray()
        select (new ClaimLimits(total, perEndpoint, false)
        {
            Busy = due.Select((id, i) => (id, busy[i])).Where(b => b.Item2 > 0).ToDictionary(b => b.id, b => b.Item2),
            Skip = due.Where((_, i) => skipped[i]).ToHashSet(),
        }, due);

    [Test]
    public void ASharePlanKeepsEveryLimitAndFavoursNobody() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000).WithQuietOnSuccess(true), Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var (limits, due) = c;
            var shares = limits.Share(due).ToDictionary(s => s.EndpointId, s => s.Take);
            int Free(string id) => limits.Skip.Contains(id) ? 0 : Math.Max(0, limits.PerEndpoint - limits.Busy.GetValueOrDefault(id));
            var taken = shares.Values.Sum();
            var eligible = due.Where(id => Free(id) > 0).ToList();
            var notFull = eligible.Where(id => shares.GetValueOrDefault(id) < Free(id)).ToList();
            return (taken <= limits.Total
                    && shares.All(s => s.Value > 0 && s.Value <= Free(s.Key))
                    && shares.Keys.All(eligible.Contains)
                    && (taken == limits.Total || notFull.Count == 0) // nothing wasted
                    && (notFull.Count == 0 || shares.Values.DefaultIfEmpty(0).Max() - notFull.Min(shares.GetValueOrDefault) <= 1)) // fair: nobody more than one ahead of an endpoint that wanted more
                .Label($"total {limits.Total}, per endpoint {limits.PerEndpoint}, shares {string.Join(",", due.Select(id => $"{id}:{shares.GetValueOrDefault(id)}/{Free(id)}"))}");
        }));

    [Test]
    public void TheEndpointWaitingLongestGetsTheOddDelivery()
    {
        var shares = new ClaimLimits(5, 10, false).Share(["we_old", "we_new"]);
        Assert.That(shares, Is.EqualTo(new[] { ("we_old", 3), ("we_new", 2) }));
    }
}
