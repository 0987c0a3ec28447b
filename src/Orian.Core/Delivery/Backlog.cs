namespace Orian.Delivery;

/// <summary>How the always-on views (the status view, the outbox gauges) count what waits in the
/// outbox: each count stops at <see cref="CountedUpTo"/>, so reading it costs the same whatever the
/// backlog (an index read of at most that many entries, 7 ms), where a full count grows with it (and
/// may read the whole table, delivered history and all). A count equal to it means at least that many;
/// the oldest waiting age, which is what says the outbox is behind, is always exact.</summary>
public static class Backlog
{
    public const long CountedUpTo = 10_000;

    /// <summary>No limit: the operator's on-demand breakdown (<c>GET /v1/deliveries/stats</c>) counts it all.</summary>
    public const long Exact = long.MaxValue;
}
