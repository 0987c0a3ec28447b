using Orian.Authorisation;
using Orian.Wire;

namespace Orian.Domain;

/// <summary>
/// The financial effect of one ORIAN transaction version: the table in <c>docs/ledger.md</c> as a pure
/// function. Because the ledger always holds effect(highest version), any arrival order, duplicate
/// or gap converges on the same balances.
/// </summary>
public static class EffectFunction
{
    /// <param name="evt">The version.</param>
    /// <param name="decision">For <c>AUTHORISATION_REQUESTED</c> only: the decision this service gave.
    /// The request's own <c>txn_result</c> is ignored; only our answer can place a hold, of the
    /// amount the decision approved.</param>
    public static EffectResult Of(OrianEvent evt, Decision? decision = null)
    {
        if (!evt.Financial)
        {
            return EffectResult.Of(LedgerEffect.None);
        }

        var result = evt.Result;
        switch (evt.Status)
        {
            case LifecycleStatus.Unknown:
                return EffectResult.Carry(EventFlags.UnknownStatus);
            case LifecycleStatus.Cancelled or LifecycleStatus.Expired or LifecycleStatus.ManuallyExpired:
                return EffectResult.Of(LedgerEffect.None); // "can have no financial impact"
            case LifecycleStatus.AuthorisationRequested:
                // Not decided by us, declined, a credit, or a stand-in: nothing reserved.
                return decision is { HoldAmount: > 0 } && evt.Direction == Direction.Debit
                       && evt.AccountNo is { } holder && evt.EffectiveAmounts.Actual is { } requested
                    ? EffectResult.Of(LedgerEffect.Hold(holder, requested with { Minor = decision.HoldAmount }))
                    : EffectResult.Of(LedgerEffect.None);
        }

        if (result is TxnResult.None or TxnResult.Unknown)
        {
            return EffectResult.Carry(EventFlags.UnknownResult);
        }

        if (result == TxnResult.Declined)
        {
            return EffectResult.Of(LedgerEffect.None);
        }

        if (evt.Direction is not (Direction.Debit or Direction.Credit))
        {
            return EffectResult.Carry(EventFlags.UnknownDirection);
        }

        // Approved, partially approved or approved with exception from here on.
        if (evt.Direction == Direction.Credit && evt.Status != LifecycleStatus.Complete && !evt.IsTransfer)
        {
            return EffectResult.Of(LedgerEffect.None); // a credit is not spendable until complete
        }

        var amount = result == TxnResult.PartiallyApproved
            ? evt.ApprovedAmount ?? evt.EffectiveAmounts.Actual
            : evt.EffectiveAmounts.Actual;
        if (amount is not { } x)
        {
            return EffectResult.Carry(EventFlags.MissingAmount);
        }

        if (evt.AccountNo is not { } account)
        {
            return EffectResult.Carry(EventFlags.MissingAccount);
        }

        if (evt.IsTransfer)
        {
            // The payer's money is held while authorised and leaves when complete; the payee is
            // credited on completion only (a credit is not spendable before).
            return EffectResult.Of(evt.Status == LifecycleStatus.Complete
                ? LedgerEffect.Transfer(account, evt.PayeeAccountNo!, x)
                : LedgerEffect.Hold(account, x));
        }

        return (evt.Direction, evt.Status) switch
        {
            (Direction.Debit, LifecycleStatus.Complete) => EffectResult.Of(LedgerEffect.Post(account, x, -x.Minor, CounterAccount(evt, x))),
            (Direction.Credit, LifecycleStatus.Complete) => EffectResult.Of(LedgerEffect.Post(account, x, x.Minor, CounterAccount(evt, x))),
            _ => EffectResult.Of(LedgerEffect.Hold(account, x)), // debit authorised
        };
    }

    /// <summary>The other side of every posting: one settlement account per scheme and currency, so
    /// the journal sums to zero per currency.</summary>
    public static string CounterAccount(OrianEvent evt, Money amount) =>
        string.Concat("scheme:", evt.SchemeId ?? "UNKNOWN", ":", amount.Currency);
}
