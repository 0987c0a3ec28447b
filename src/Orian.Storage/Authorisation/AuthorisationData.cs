using Orian.Authorisation;
using Orian.Ledger;

namespace Orian.Storage;

/// <summary>Helpers both providers use to shape authorisation reads and writes.</summary>
internal static class AuthorisationData
{
    public static void Merge(
        Dictionary<string, (AccountControls Controls, long SpentToday)> into, IEnumerable<ControlsRow> controls, IEnumerable<(string AccountNo, long Spent)> spent)
    {
        foreach (var row in controls)
        {
            into[row.AccountNo] = (row.ToControls(), 0);
        }

        foreach (var (accountNo, amount) in spent)
        {
            into[accountNo] = (into.TryGetValue(accountNo, out var existing) ? existing.Item1 : AccountControls.None, amount);
        }
    }

    public static object RevocationParameters(DecisionRevocation r) => new
    {
        r.TransactionId,
        r.Version,
        Result = r.StandIn.ResultText,
        ResultDetail = r.StandIn.Detail,
        r.ConfirmedAt,
        True = true,
        False = false,
    };
}
