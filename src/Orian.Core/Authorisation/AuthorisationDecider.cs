using System.Globalization;
using Orian.Domain;
using Orian.Wire;

namespace Orian.Authorisation;

/// <summary>
/// The delegated authorisation decision (<c>docs/authorisation.md</c>) as a pure function, rules in order:
/// 1 the account is known and not blocked; 2 operator controls (maximum per transaction, daily spend,
/// blocked merchant categories); 3 the available balance covers the amount; 4 else a partial approval
/// of what is available, where allowed; 5 else insufficient funds. Credits (refunds) and non-financial
/// requests are approved without a hold once the account checks pass.
/// </summary>
public static class AuthorisationDecider
{
    public static Decision Decide(OrianEvent request, AuthorisationContext account, bool partialApprovalAllowed)
    {
        if (!account.Exists)
        {
            return Decision.Decline(ResultDetail.AccountNotFound, $"account {request.AccountNo ?? "(none named)"} is not known to the ledger");
        }

        if (account.Controls.Blocked)
        {
            return Decision.Decline(ResultDetail.AccountBlocked, "the account is blocked by an operator");
        }

        if (!request.Financial || request.Direction == Direction.Credit)
        {
            var why = request.Financial ? "a credit (refund) moves no money until it completes" : "a non-financial request moves no money";
            return new Decision(TxnResult.Approved, ResultDetail.Successful, null, null, 0, why);
        }

        if (request.Direction != Direction.Debit)
        {
            return Decision.Decline(ResultDetail.SystemError, $"direction '{request.DirectionText ?? "(none)"}' cannot be decided");
        }

        if (request.EffectiveAmounts.Actual is not { } amount)
        {
            return Decision.Decline(ResultDetail.SystemError, "the request carries no cardholder amount");
        }

        if (amount.Currency != account.Currency || amount.Exponent != account.Exponent)
        {
            return Decision.Decline(ResultDetail.SystemError, $"amount in {amount.Currency} (e{amount.Exponent}) but the account is in {account.Currency} (e{account.Exponent})");
        }

        var x = amount.Minor;
        var controls = account.Controls;
        if (controls.MaxTransactionAmount is { } max && x > max)
        {
            return Decision.Decline(ResultDetail.LimitExceeded, $"amount {Minor(x)} is above the per-transaction maximum {Minor(max)}");
        }

        // In 128 bits: a day's spend near the int64 limit plus the amount must not wrap round to a
        // small number that passes the limit.
        if (controls.DailySpendLimit is { } daily && (Int128)account.SpentToday + x > daily)
        {
            return Decision.Decline(ResultDetail.LimitExceeded, $"spent today {Minor(account.SpentToday)} + amount {Minor(x)} is above the daily limit {Minor(daily)}");
        }

        if (request.MerchantCategory is { } mcc && controls.BlockedMerchantCategories.Contains(mcc))
        {
            return Decision.Decline(ResultDetail.MerchantBlocked, $"merchant category {mcc} is blocked for the account");
        }

        if (account.Available >= x)
        {
            return new Decision(TxnResult.Approved, ResultDetail.Successful, null, null, x, $"available {Minor(account.Available)} covers amount {Minor(x)}");
        }

        if (account.Available > 0 && partialApprovalAllowed)
        {
            var approved = amount with { Minor = account.Available };
            return new Decision(TxnResult.PartiallyApproved, ResultDetail.Successful, null, approved, account.Available,
                $"available {Minor(account.Available)} is less than amount {Minor(x)}; partially approved");
        }

        return Decision.Decline(ResultDetail.InsufficientFunds, $"available {Minor(account.Available)} is less than amount {Minor(x)}");
    }

    private static string Minor(long value) => value.ToString(CultureInfo.InvariantCulture);
}
