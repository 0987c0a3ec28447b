namespace Orian.Delivery;

/// <summary>What one claim may take.</summary>
/// <param name="Total">Deliveries at most.</param>
/// <param name="PerEndpoint">Deliveries one endpoint may have with this dispatcher at once, those it
/// already holds (<see cref="Busy"/>) included.</param>
/// <param name="IncludeOrchestrator">Claim instruction updates for the Payments Orchestrator too (this
/// instance is configured to reach it).</param>
public sealed record ClaimLimits(int Total, int PerEndpoint, bool IncludeOrchestrator)
{
    /// <summary>Deliveries this dispatcher holds per endpoint, claimed earlier and not yet sent.</summary>
    public IReadOnlyDictionary<string, int> Busy { get; init; } = new Dictionary<string, int>();

    /// <summary>Endpoints not to claim for now (their circuit is open).</summary>
    public IReadOnlySet<string> Skip { get; init; } = new HashSet<string>();

    /// <summary>
    /// Shares <see cref="Total"/> among <paramref name="endpoints"/> (those with due work, the one
    /// waiting longest first): each gets an equal share of what is left, never more than its free
    /// slots, and what one cannot use goes to the others. Endpoints skipped or without a free slot
    /// get none.
    /// </summary>
    public IReadOnlyList<(string EndpointId, int Take)> Share(IReadOnlyList<string> endpoints)
    {
        var free = new List<(string Id, int Free)>();
        foreach (var id in endpoints)
        {
            var slots = PerEndpoint - Busy.GetValueOrDefault(id);
            if (slots > 0 && !Skip.Contains(id))
            {
                free.Add((id, slots));
            }
        }

        var take = new int[free.Count];
        var left = Total;
        var open = Enumerable.Range(0, free.Count).ToList();
        while (left > 0 && open.Count > 0)
        {
            var share = Math.Max(1, left / open.Count);
            foreach (var i in open)
            {
                var more = Math.Min(Math.Min(share, free[i].Free - take[i]), left);
                take[i] += more;
                left -= more;
            }

            open.RemoveAll(i => take[i] >= free[i].Free);
        }

        return [.. free.Select((f, i) => (f.Id, take[i])).Where(t => t.Item2 > 0)];
    }
}
