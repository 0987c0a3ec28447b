namespace Orian.Cli.Replay;

/// <summary>The order to send events in: as read, or shuffled, with a fraction sent twice, to
/// exercise the service's version ordering and idempotency the way PPS's re-sends do.</summary>
public static class ReplayPlan
{
    public static IReadOnlyList<ReplayEvent> Build(IReadOnlyList<ReplayEvent> events, bool shuffle, double duplicate, Random random)
    {
        var copies = (int)Math.Round(events.Count * Math.Clamp(duplicate, 0, 1));
        var again = Enumerable.Range(0, events.Count).OrderBy(_ => random.Next()).Take(copies).ToHashSet();
        var plan = new List<ReplayEvent>(events.Count + copies);
        for (var i = 0; i < events.Count; i++)
        {
            plan.Add(events[i]);
            if (again.Contains(i))
            {
                plan.Add(events[i]); // in order, a copy follows its original, as a re-send would
            }
        }

        if (!shuffle)
        {
            return plan;
        }

        var shuffled = plan.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }
}
