namespace Orian.Authorisation;

/// <summary>
/// Decides, exactly once, who answered an authorisation request: the worker whose commit finished
/// in time, or the request that gave up at its deadline and answered the stand-in. Whoever loses
/// must make the ledger agree with the winner: a worker that loses releases the hold it committed.
/// </summary>
public sealed class DecisionTicket
{
    private const int Pending = 0, TimedOut = 1, Completed = 2;
    private int _state;

    /// <summary>When the request answers the stand-in if no decision has won by then: recorded with
    /// the decision, so that one never confirmed is revoked once this has passed, from the database
    /// alone (docs/authorisation.md). Unset (a ticket no request waits on, as in replays and tests):
    /// never, so nothing is revoked for want of a confirmation nobody would give.</summary>
    public DateTimeOffset Deadline { get; set; } = DateTimeOffset.MaxValue;

    /// <summary>The request's side: true if it may answer the stand-in (nothing was answered yet).</summary>
    public bool TryTimeOut() => Interlocked.CompareExchange(ref _state, TimedOut, Pending) == Pending;

    /// <summary>The worker's side, after its commit: true if the committed decision is the answer.</summary>
    public bool TryComplete() => Interlocked.CompareExchange(ref _state, Completed, Pending) == Pending;

    public bool IsTimedOut => Volatile.Read(ref _state) == TimedOut;

    /// <summary>Set by the deciding worker when the deadline had already passed, so it recorded the
    /// stand-in itself: nothing to revoke after the commit.</summary>
    public bool DecidedAsStandIn { get; set; }

    /// <summary>When each step of deciding happened, for the breakdown of where a decision waits.</summary>
    public DecisionTimings Timings { get; } = new();
}

/// <summary>
/// When each step of one decision happened, as <see cref="TimeProvider.GetTimestamp"/> values (0: not
/// reached): queued in its lane, taken by the worker, the steps of its batch's transaction
/// (<see cref="Batch"/>), and the decision confirmed. Each is written by the one thread at that step,
/// before the request's answer is released (which orders it before the request reads them).
/// </summary>
public sealed class DecisionTimings
{
    /// <summary>The phases, in order, each named by the step that ends it.</summary>
    public static readonly string[] Phases = ["lane", "begin", "lock", "plan", "write", "commit", "confirm"];

    public long Queued { get; set; }
    public long Taken { get; set; }

    /// <summary>The steps of the transaction that applied the decision's batch (shared by every
    /// decision in it; its last attempt's, if it ran again).</summary>
    public BatchTimings? Batch { get; set; }

    public long Confirmed { get; set; }

    /// <summary>Each phase's duration in milliseconds, in the order of <see cref="Phases"/>; NaN for a
    /// phase not reached (the request answered the stand-in first, say).</summary>
    public double[] Durations(TimeProvider time)
    {
        var b = Batch;
        long[] steps = [Queued, Taken, b?.Begun ?? 0, b?.Locked ?? 0, b?.Planned ?? 0, b?.Written ?? 0, b?.Committed ?? 0, Confirmed];
        var durations = new double[Phases.Length];
        for (var i = 0; i < durations.Length; i++)
        {
            durations[i] = steps[i] != 0 && steps[i + 1] != 0 ? time.GetElapsedTime(steps[i], steps[i + 1]).TotalMilliseconds : double.NaN;
        }

        return durations;
    }
}

/// <summary>When each step of a batch's (last) transaction happened: <see cref="TimeProvider"/> timestamps.</summary>
public sealed class BatchTimings
{
    public long Begun { get; set; }
    public long Locked { get; set; }
    public long Planned { get; set; }
    public long Written { get; set; }
    public long Committed { get; set; }
}
