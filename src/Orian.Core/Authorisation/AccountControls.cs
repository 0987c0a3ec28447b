namespace Orian.Authorisation;

/// <summary>What an operator has set for one account. Amounts are minor units of the account's
/// currency; null means no limit.</summary>
public sealed record AccountControls(
    bool Blocked,
    long? MaxTransactionAmount,
    long? DailySpendLimit,
    IReadOnlyCollection<string> BlockedMerchantCategories)
{
    public static AccountControls None { get; } = new(false, null, null, []);
}
