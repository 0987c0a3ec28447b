using Orian.Domain;
using Orian.Wire;

namespace Orian.Orchestrator;

/// <summary>
/// The Payments Orchestrator status an ORIAN transaction gives the instruction it is linked to
/// (the Orchestrator's instruction statuses; the mapping in <c>docs/outbox.md</c>).
/// </summary>
public static class InstructionStatus
{
    public const string Processing = "PROCESSING";
    public const string Settled = "SETTLED";
    public const string Failed = "FAILED";
    public const string Void = "VOID";

    /// <summary>
    /// The instruction status for a transaction in <paramref name="status"/> with
    /// <paramref name="result"/> (both as PPS spells them), or null when it says nothing new:
    /// <list type="bullet">
    /// <item>AUTHORISED, approved: PROCESSING; COMPLETE, approved: SETTLED;</item>
    /// <item>AUTHORISED or COMPLETE, declined: FAILED (a declined authorisation will not settle either);</item>
    /// <item>CANCELLED, EXPIRED, MANUALLY_EXPIRED: VOID, whatever the result;</item>
    /// <item>AUTHORISATION_REQUESTED (a decision PPS has not confirmed yet), an unknown status, or an
    /// absent or unknown result: null, as the ledger carries the previous effect for those.</item>
    /// </list>
    /// </summary>
    public static string? Map(string status, string? result)
    {
        switch (OrianParser.ParseStatus(status))
        {
            case LifecycleStatus.Cancelled or LifecycleStatus.Expired or LifecycleStatus.ManuallyExpired:
                return Void;
            case LifecycleStatus.Authorised or LifecycleStatus.Complete:
                var parsed = OrianParser.ParseResult(result);
                if (parsed == TxnResult.Declined)
                {
                    return Failed;
                }

                if (!parsed.IsApproved())
                {
                    return null;
                }

                return OrianParser.ParseStatus(status) == LifecycleStatus.Complete ? Settled : Processing;
            default:
                return null;
        }
    }

    /// <summary>Whether <paramref name="value"/> is an Orchestrator order or instruction reference:
    /// 1 to 50 characters of <c>[a-zA-Z0-9-_.]</c> (the Orchestrator's reference format), not made only
    /// of dots. A reference becomes a segment of the Orchestrator's URL path, and escaping leaves
    /// <c>.</c> and <c>..</c> as they are, so they would name the segment itself or its parent. The
    /// percent-encoded forms (<c>%2e</c>) are refused with every other <c>%</c>.</summary>
    public static bool IsValidReference(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 50)
        {
            return false;
        }

        var onlyDots = true;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }

            onlyDots &= c == '.';
        }

        return !onlyDots;
    }
}
