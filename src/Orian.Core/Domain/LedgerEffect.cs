namespace Orian.Domain;

/// <summary>
/// What one transaction version means for the ledger: a hold of <see cref="Held"/> and a posting of
/// <see cref="Posted"/> (signed, negative for money leaving) on <see cref="AccountNo"/>, balanced by
/// the opposite posting on <see cref="CounterAccount"/>. The ledger stores the effect of the highest
/// applied version and applies only the difference when a new version arrives.
/// </summary>
/// <remarks>When <see cref="CounterIsAccount"/>, the counter is a PPS account (the payee of a
/// transfer): its balance moves by <c>-Posted</c>, so the effect has two legs, payer and payee,
/// forming one journal entry between them. The ledger applies the difference leg by leg.</remarks>
public readonly record struct LedgerEffect(string? AccountNo, string? Currency, int Exponent, long Held, long Posted, string? CounterAccount, bool CounterIsAccount = false)
{
    /// <summary>No money held or moved.</summary>
    public static LedgerEffect None => default;

    public bool IsNone => Held == 0 && Posted == 0;

    public static LedgerEffect Hold(string accountNo, Money amount) =>
        new(accountNo, amount.Currency, amount.Exponent, amount.Minor, 0, null);

    public static LedgerEffect Post(string accountNo, Money amount, long signedMinor, string counterAccount) =>
        new(accountNo, amount.Currency, amount.Exponent, 0, signedMinor, counterAccount);

    /// <summary>A completed transfer: the payer's balance goes down by the amount, the payee's up.</summary>
    public static LedgerEffect Transfer(string payer, string payee, Money amount) =>
        new(payer, amount.Currency, amount.Exponent, 0, -amount.Minor, payee, CounterIsAccount: true);
}
