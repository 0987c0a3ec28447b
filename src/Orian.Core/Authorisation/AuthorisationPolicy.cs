using Orian.Domain;

namespace Orian.Authorisation;

/// <summary>How decisions are made beyond the account's own data: where partial approval is
/// allowed, and what is answered when no decision can be committed in time.</summary>
public sealed record AuthorisationPolicy(
    bool PartialApproval,
    IReadOnlyDictionary<string, bool> PartialApprovalByProductClass,
    TxnResult StandInResult,
    string StandInDetail)
{
    public static AuthorisationPolicy Default { get; } =
        new(false, new Dictionary<string, bool>(), TxnResult.Declined, ResultDetail.SystemError);

    /// <summary>A product class's own setting wins over the global one.</summary>
    public bool AllowsPartialApproval(string? productClass) =>
        productClass is not null && PartialApprovalByProductClass.TryGetValue(productClass, out var allowed) ? allowed : PartialApproval;

    /// <summary>The answer when the deadline passed: never holds money.</summary>
    public Decision StandIn(string reason) => new(StandInResult, StandInDetail, null, null, 0, reason);
}
