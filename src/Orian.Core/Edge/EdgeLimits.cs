namespace Orian.Edge;

/// <summary>
/// The bounds every value a client sends must fit before anything is stored, in one place so the
/// parser, the operator API, the ledger's assertions and the documentation agree
/// (<c>docs/edge.md</c>). Names carry their unit last.
/// </summary>
public static class EdgeLimits
{
    /// <summary>The largest amount one event may carry: 10^15 minor units (ten trillion pounds).
    /// Far above any real transaction, and low enough that a balance summed from such amounts cannot
    /// reach <see cref="MaxBalanceMinor"/> in any realistic account history.</summary>
    public const long MaxAmountMinor = 1_000_000_000_000_000;

    /// <summary>The largest magnitude a balance (posted or held) may reach: 10^18 minor units, an
    /// order of magnitude inside <see cref="long.MaxValue"/>, so that checked arithmetic on a batch's
    /// deltas can never wrap before the bound is enforced.</summary>
    public const long MaxBalanceMinor = 1_000_000_000_000_000_000;

    /// <summary>Identifiers (transaction ids, account numbers, route values).</summary>
    public const int MaxIdLength = 64;

    /// <summary>Enumeration-like codes the ledger stores (status, result, scheme, category ...).</summary>
    public const int MaxCodeLength = 64;

    /// <summary>Free text the ledger stores (<c>txn_result.result_message</c>).</summary>
    public const int MaxMessageLength = 1024;
}
