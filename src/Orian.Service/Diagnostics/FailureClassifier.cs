using Orian.Ledger;

namespace Orian.Service.Diagnostics;

/// <summary>What a failure means for the caller.</summary>
internal enum FailureClass
{
    /// <summary>Another attempt may work (the database is down, busy, or lost a race): 503 with
    /// <c>Retry-After</c>, nothing stored.</summary>
    Transient,

    /// <summary>The request can never be applied as it is (it would take a balance out of the
    /// ledger's range): 422, nothing stored.</summary>
    Refused,

    /// <summary>A fault of ours or of the stored data: 500 with a trace id, for this request alone.</summary>
    Fault,
}

/// <summary>
/// Where every failure that reaches a caller is classified (<c>docs/edge.md</c>). The database's own
/// error codes are classified by the provider (<see cref="ILedgerStore.IsTransient"/>); the ledger's
/// refusals and the commit outcomes are classified here. 503 means "retry and it may work", so
/// nothing that a retry would meet again is ever <see cref="FailureClass.Transient"/>.
/// </summary>
internal sealed class FailureClassifier(ILedgerStore store)
{
    public FailureClass Classify(Exception exception) => exception switch
    {
        LedgerRefusedException or OverflowException => FailureClass.Refused,
        LedgerInvariantException => FailureClass.Fault,
        AmbiguousCommitException or CommitNotAppliedException => FailureClass.Transient,
        _ when store.IsTransient(exception) => FailureClass.Transient,
        _ => FailureClass.Fault,
    };
}
