namespace Orian.Delivery;

/// <summary>An outbox event as the history purge reads it, in id order.</summary>
public readonly record struct HistoryEvent(long Id, string EventId, DateTimeOffset CreatedAt, bool FannedOut);

/// <summary>
/// What of the outbox's history may go once its retention period is over, so that nothing in the
/// outbox grows without bound: an event older than the cutoff, fanned out, none of whose deliveries
/// is still pending, goes with its deliveries and their attempt log. Delivered is final; a dead
/// delivery can be re-driven until then (its event's age is what counts, and the retention period is
/// whole days against a retry schedule of hours). What is still to be sent is never touched: a pending
/// delivery, an event not yet fanned out, and any event of a live lease not yet recorded (its deliveries
/// have no row until then), which the cutoff keeps by never passing the oldest live lease.
/// </summary>
public static class OutboxHistory
{
    /// <summary>A delivery in this state waits to be sent; its event stays.</summary>
    public const string Pending = "pending";

    /// <summary>Events created before this instant may go: <paramref name="retentionDays"/> before
    /// <paramref name="now"/>, and never later than the oldest live lease's creation.</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now, int retentionDays, DateTimeOffset? oldestLiveLease)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retentionDays, 1);
        var cutoff = now.AddDays(-retentionDays);
        return oldestLiveLease is { } lease && lease < cutoff ? lease : cutoff;
    }

    /// <summary>Of a page of events read in id order, the leading ones created before
    /// <paramref name="cutoff"/>: the purge stops at the first newer one (ids follow creation, so the
    /// rest are newer too, give or take the instants that instances' batches interleave).</summary>
    public static IReadOnlyList<HistoryEvent> Due(IReadOnlyList<HistoryEvent> page, DateTimeOffset cutoff) =>
        page.TakeWhile(e => e.CreatedAt < cutoff).ToList();

    /// <summary>Of the events <see cref="Due"/>, those that may go given their deliveries' states:
    /// fanned out, and no delivery still pending.</summary>
    public static IReadOnlyList<string> Purgeable(IReadOnlyList<HistoryEvent> due, ILookup<string, string> deliveryStatesByEvent) =>
        due.Where(e => e.FannedOut && !deliveryStatesByEvent[e.EventId].Contains(Pending, StringComparer.Ordinal)).Select(e => e.EventId).ToList();
}
