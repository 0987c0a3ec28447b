namespace Orian.Ledger;

/// <summary>An account's balances in minor units of its currency. <c>available = posted - held</c>.</summary>
public sealed record AccountState(string AccountNo, string Currency, int Exponent, long Posted, long Held)
{
    public long Available => Posted - Held;
}
