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
}
