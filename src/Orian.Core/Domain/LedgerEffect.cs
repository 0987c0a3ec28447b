namespace Orian.Domain;

/// <summary>
/// What one transaction version means for the ledger: a hold of <see cref="Held"/> and a posting of
/// <see cref="Posted"/> (signed, negative for money leaving) on <see cref="AccountNo"/>, balanced by
/// the opposite posting on <see cref="CounterAccount"/>. The ledger stores the effect of the highest
/// applied version and applies only the difference when a new version arrives.
/// </summary>
public readonly record struct LedgerEffect(string? AccountNo, string? Currency, int Exponent, long Held, long Posted, string? CounterAccount)
{
    /// <summary>No money held or moved.</summary>
    public static LedgerEffect None => default;

    public bool IsNone => Held == 0 && Posted == 0;

    public static LedgerEffect Hold(string accountNo, Money amount) =>
        new(accountNo, amount.Currency, amount.Exponent, amount.Minor, 0, null);

    public static LedgerEffect Post(string accountNo, Money amount, long signedMinor, string counterAccount) =>
        new(accountNo, amount.Currency, amount.Exponent, 0, signedMinor, counterAccount);
}
