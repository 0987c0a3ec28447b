using System.Text.Json;
using Orian.Storage;

namespace Orian.Service.Endpoints;

/// <summary>
/// The body of <c>PUT /v1/accounts/{account_no}/controls</c>, validated field by field:
/// <c>{"status": "ACTIVE"|"BLOCKED", "max_transaction_amount": int|null, "daily_spend_limit": int|null,
/// "blocked_merchant_categories": ["7995", ...]}</c>. Amounts are minor units of the account's currency.
/// </summary>
internal static class ControlsRequest
{
    public const int MaxCategories = 500;

    /// <summary>The controls row, or the field that is wrong and why.</summary>
    public static (ControlsRow? Row, string? Field, string? Error) Parse(string accountNo, JsonElement root, DateTimeOffset now)
    {
        if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String || status.GetString() is not ("ACTIVE" or "BLOCKED"))
        {
            return (null, "status", "'status' is required: \"ACTIVE\" or \"BLOCKED\".");
        }

        var (max, maxError) = PositiveOrNull(root, "max_transaction_amount");
        if (maxError is not null)
        {
            return (null, "max_transaction_amount", maxError);
        }

        var (daily, dailyError) = PositiveOrNull(root, "daily_spend_limit");
        if (dailyError is not null)
        {
            return (null, "daily_spend_limit", dailyError);
        }

        var categories = new SortedSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("blocked_merchant_categories", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                return (null, "blocked_merchant_categories", "'blocked_merchant_categories' must be an array of four-digit merchant category codes.");
            }

            foreach (var item in list.EnumerateArray())
            {
                var code = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                if (code is not { Length: 4 } || !code.All(char.IsAsciiDigit))
                {
                    return (null, "blocked_merchant_categories", $"'{item}' is not a four-digit merchant category code such as \"7995\".");
                }

                categories.Add(code);
            }

            if (categories.Count > MaxCategories)
            {
                return (null, "blocked_merchant_categories", $"At most {MaxCategories} merchant categories can be blocked.");
            }
        }

        return (new ControlsRow
        {
            AccountNo = accountNo,
            Status = status.GetString()!,
            MaxTransactionAmount = max,
            DailySpendLimit = daily,
            BlockedMerchantCategories = string.Join(',', categories),
            UpdatedAt = now,
        }, null, null);
    }

    private static (long? Value, string? Error) PositiveOrNull(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var amount) && amount is > 0 and <= Orian.Edge.EdgeLimits.MaxBalanceMinor
            ? (amount, null)
            : (null, $"'{name}' must be a positive integer of at most {Orian.Edge.EdgeLimits.MaxBalanceMinor} (minor units), or null for no limit.");
    }
}
