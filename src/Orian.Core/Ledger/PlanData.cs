using Orian.Authorisation;

namespace Orian.Ledger;

/// <summary>
/// The rows a batch plan may need beyond the locked transaction and account rows, read before the
/// plan runs so that the plan itself is a pure function of (rows, events, time). Which rows are
/// needed follows from the locked rows and the events alone (<see cref="For"/>); most batches need
/// none, so the extra read is usually skipped.
/// </summary>
internal sealed class PlanData
{
    public static PlanData Empty { get; } = new();

    /// <summary>The stored body of an applied version, by (transaction, version): a re-send of the
    /// applied version with other bytes is compared with it (duplicate or conflict).</summary>
    public Dictionary<(string Id, long Version), AppliedBody> AppliedBodies { get; } = [];

    /// <summary>Bodies already stored for a transaction, by (transaction, hash in hex): a conflicting
    /// body is kept once.</summary>
    public HashSet<(string Id, string Hash)> StoredBodies { get; } = [];

    /// <summary>Decisions already given, by (transaction, version): a re-sent authorisation request
    /// gets the answer its version got the first time.</summary>
    public Dictionary<(string Id, long Version), Decision> Decisions { get; } = [];

    /// <summary>What to read for <paramref name="batch"/> given the <paramref name="locked"/> rows.</summary>
    public static PlanReads For(IReadOnlyList<PendingEvent> batch, IReadOnlyDictionary<string, TransactionState> locked)
    {
        var reads = new PlanReads();
        foreach (var pending in batch)
        {
            var evt = pending.Event;
            if (!locked.TryGetValue(evt.Id, out var current))
            {
                continue;
            }

            if (evt.Version == current.Version && !pending.HasBytesOf(current.PayloadHash, current.PayloadKeyId))
            {
                reads.AppliedBodies.Add((evt.Id, current.Version));
                reads.StoredBodies.Add((evt.Id, pending.PayloadHash));
            }

            if (pending.Ticket is not null && evt.Version <= current.Version)
            {
                reads.Decisions.Add((evt.Id, evt.Version));
            }
        }

        return reads;
    }

    /// <summary>Reads what <paramref name="reads"/> lists, in the batch's transaction.</summary>
    public static async Task<PlanData> ReadAsync(ILedgerUnitOfWork unit, PlanReads reads, CancellationToken cancellationToken)
    {
        if (reads.IsEmpty)
        {
            return Empty;
        }

        var data = new PlanData();
        foreach (var (id, version) in reads.AppliedBodies)
        {
            if (await unit.GetAppliedPayloadAsync(id, version, cancellationToken).ConfigureAwait(false) is { } body)
            {
                data.AppliedBodies[(id, version)] = body;
            }
        }

        foreach (var (id, hash) in reads.StoredBodies)
        {
            if (await unit.HasPayloadAsync(id, hash, cancellationToken).ConfigureAwait(false))
            {
                data.StoredBodies.Add((id, Convert.ToHexString(hash)));
            }
        }

        foreach (var (id, version) in reads.Decisions)
        {
            if (await unit.GetDecisionAsync(id, version, cancellationToken).ConfigureAwait(false) is { } decision)
            {
                data.Decisions[(id, version)] = decision;
            }
        }

        return data;
    }
}

/// <summary>The keys a plan needs read (<see cref="PlanData.For"/>).</summary>
internal sealed class PlanReads
{
    public HashSet<(string Id, long Version)> AppliedBodies { get; } = [];
    public List<(string Id, byte[] Hash)> StoredBodies { get; } = [];
    public HashSet<(string Id, long Version)> Decisions { get; } = [];
    public bool IsEmpty => AppliedBodies.Count == 0 && StoredBodies.Count == 0 && Decisions.Count == 0;
}
