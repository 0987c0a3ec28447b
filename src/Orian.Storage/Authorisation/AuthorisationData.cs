using Orian.Authorisation;

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
}
