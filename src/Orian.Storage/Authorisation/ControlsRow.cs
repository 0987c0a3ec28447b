using Orian.Authorisation;

namespace Orian.Storage;

/// <summary>An <c>account_controls</c> row.</summary>
public sealed class ControlsRow
{
    public string AccountNo { get; set; } = "";
    public string Status { get; set; } = "ACTIVE";
    public long? MaxTransactionAmount { get; set; }
    public long? DailySpendLimit { get; set; }
    public string BlockedMerchantCategories { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }

    internal const string Columns = "account_no, status, max_transaction_amount, daily_spend_limit, blocked_merchant_categories, updated_at";

    public IReadOnlyList<string> Categories => BlockedMerchantCategories.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>What the audit trail keeps of the controls.</summary>
    internal object Snapshot() => new { AccountNo, Status, MaxTransactionAmount, DailySpendLimit, BlockedMerchantCategories = Categories, UpdatedAt };

    public AccountControls ToControls() =>
        new(Status == "BLOCKED", MaxTransactionAmount, DailySpendLimit, new HashSet<string>(Categories, StringComparer.Ordinal));
}
