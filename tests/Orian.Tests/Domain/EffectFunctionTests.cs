using Orian.Authorisation;
using Orian.Domain;
using Orian.Tests.Support;

namespace Orian.Tests.Domain;

/// <summary>Every row of the effect table in <c>docs/ledger.md</c>, as the pure function sees it.</summary>
public sealed class EffectFunctionTests
{
    private static EffectResult Effect(Txn txn, Decision? decision = null) => EffectFunction.Of(txn.Parse(), decision);

    private static Decision Approve(long hold) => new(TxnResult.Approved, ResultDetail.Successful, null, null, hold, "test");

    [Test]
    public void DebitAuthorisationRequestedApprovedByThisServiceHoldsTheAmount()
    {
        var result = Effect(new Txn { Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 250 }, Approve(250));
        Assert.That(result, Is.EqualTo(EffectResult.Of(new LedgerEffect("ACC-1", "GBP", 2, 250, 0, null))));
    }

    [Test]
    public void DebitAuthorisationRequestedPartiallyApprovedByThisServiceHoldsTheApprovedPart()
    {
        var partial = new Decision(TxnResult.PartiallyApproved, ResultDetail.Successful, null, new Money(60, "GBP", 2), 60, "test");
        var result = Effect(new Txn { Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 250 }, partial);
        Assert.That(result.Effect.Held, Is.EqualTo(60));
    }

    [Test]
    public void CreditAuthorisationRequestedApprovedByThisServiceHoldsNothing()
    {
        var result = Effect(new Txn { Status = "AUTHORISATION_REQUESTED", Direction = "CREDIT", Result = null }, Approve(0));
        Assert.That(result, Is.EqualTo(EffectResult.Of(LedgerEffect.None)));
    }

    [Test]
    public void AnAuthorisedTransferHoldsOnThePayerOnly()
    {
        var result = Effect(new Txn { Status = "AUTHORISED", Account = "A", PayeeAccount = "B", Amount = 300 });
        Assert.That(result, Is.EqualTo(EffectResult.Of(new LedgerEffect("A", "GBP", 2, 300, 0, null))));
    }

    [TestCase("DEBIT")]
    [TestCase("CREDIT")]
    public void ACompletedTransferPostsFromThePayerToThePayeeWhateverTheDirectionSays(string direction)
    {
        var result = Effect(new Txn { Status = "COMPLETE", Direction = direction, Account = "A", PayeeAccount = "B", Amount = 300 });
        Assert.That(result, Is.EqualTo(EffectResult.Of(new LedgerEffect("A", "GBP", 2, 0, -300, "B", CounterIsAccount: true))));
    }

    [TestCase("CANCELLED", "APPROVED")]
    [TestCase("COMPLETE", "DECLINED")]
    public void AnEndedOrDeclinedTransferMovesNothing(string status, string result) =>
        Assert.That(Effect(new Txn { Status = status, Result = result, Account = "A", PayeeAccount = "B" }), Is.EqualTo(EffectResult.Of(LedgerEffect.None)));

    [Test]
    public void ATransferToTheSameAccountIsAnOrdinaryDebit()
    {
        var result = Effect(new Txn { Status = "COMPLETE", Account = "A", PayeeAccount = "A", Amount = 300 });
        Assert.That(result.Effect.CounterIsAccount, Is.False);
        Assert.That(result.Effect.CounterAccount, Is.EqualTo("scheme:MC:GBP"));
    }

    [Test]
    public void DebitAuthorisationRequestedWithoutOurDecisionHoldsNothing()
    {
        // The request's own txn_result is PPS's, not ours: it must not reserve money.
        var result = Effect(new Txn { Status = "AUTHORISATION_REQUESTED", Result = "APPROVED" });
        Assert.That(result, Is.EqualTo(EffectResult.Of(LedgerEffect.None)));
    }

    [Test]
    public void DebitAuthorisationRequestedDeclinedByThisServiceHoldsNothing()
    {
        var result = Effect(new Txn { Status = "AUTHORISATION_REQUESTED", Result = null }, Decision.Decline(ResultDetail.InsufficientFunds, "test"));
        Assert.That(result.Effect.IsNone, Is.True);
        Assert.That(result.CarryPrevious, Is.False);
    }

    [TestCase("APPROVED")]
    [TestCase("APPROVED_WITH_EXCEPTION")]
    public void DebitAuthorisedApprovedHoldsTheCardholderFinalAmount(string approved)
    {
        var result = Effect(new Txn { Status = "AUTHORISED", Result = approved, Amount = 1234 });
        Assert.That(result.Effect, Is.EqualTo(new LedgerEffect("ACC-1", "GBP", 2, 1234, 0, null)));
    }

    [Test]
    public void DebitAuthorisedPartiallyApprovedHoldsTheApprovedAmount()
    {
        var result = Effect(new Txn { Status = "AUTHORISED", Result = "PARTIALLY_APPROVED", Amount = 1000, ApprovedAmount = 600 });
        Assert.That(result.Effect.Held, Is.EqualTo(600));
    }

    [Test]
    public void PartiallyApprovedWithoutApprovedAmountUsesTheCardholderFinalAmount()
    {
        var result = Effect(new Txn { Status = "AUTHORISED", Result = "PARTIALLY_APPROVED", Amount = 700 });
        Assert.That(result.Effect.Held, Is.EqualTo(700));
    }

    [Test]
    public void DebitCompleteApprovedPostsMinusTheAmountAndReleasesTheHold()
    {
        var result = Effect(new Txn { Status = "COMPLETE", Amount = 500 });
        Assert.That(result.Effect, Is.EqualTo(new LedgerEffect("ACC-1", "GBP", 2, 0, -500, "scheme:MC:GBP")));
    }

    [Test]
    public void ClearingAmountsTakePrecedenceOverAuthorisationAmounts()
    {
        var result = Effect(new Txn { Status = "COMPLETE", Amount = 500, ClearingAmount = 575 });
        Assert.That(result.Effect.Posted, Is.EqualTo(-575));
    }

    [Test]
    public void CreditCompleteApprovedPostsPlusTheAmountOnThePayee()
    {
        var result = Effect(new Txn { Status = "COMPLETE", Direction = "CREDIT", Account = "PAYEE-9", Amount = 900 });
        Assert.That(result.Effect, Is.EqualTo(new LedgerEffect("PAYEE-9", "GBP", 2, 0, 900, "scheme:MC:GBP")));
    }

    [TestCase("CANCELLED", "DEBIT")]
    [TestCase("EXPIRED", "DEBIT")]
    [TestCase("MANUALLY_EXPIRED", "DEBIT")]
    [TestCase("CANCELLED", "CREDIT")]
    [TestCase("EXPIRED", "CREDIT")]
    [TestCase("MANUALLY_EXPIRED", "CREDIT")]
    public void FinalStatesWithoutFinancialImpactHaveNoEffectWhateverTheResult(string status, string direction)
    {
        foreach (var result in new[] { "APPROVED", "DECLINED", "PARTIALLY_APPROVED", null })
        {
            var effect = Effect(new Txn { Status = status, Direction = direction, Result = result });
            Assert.That(effect, Is.EqualTo(EffectResult.Of(LedgerEffect.None)), $"{status} {direction} {result}");
        }
    }

    [TestCase("AUTHORISED", "DEBIT")]
    [TestCase("COMPLETE", "DEBIT")]
    [TestCase("AUTHORISED", "CREDIT")]
    [TestCase("COMPLETE", "CREDIT")]
    public void DeclinedHasNoEffect(string status, string direction)
    {
        var effect = Effect(new Txn { Status = status, Direction = direction, Result = "DECLINED" });
        Assert.That(effect, Is.EqualTo(EffectResult.Of(LedgerEffect.None)));
    }

    [Test]
    public void CreditAuthorisedApprovedIsNotSpendableYet()
    {
        var effect = Effect(new Txn { Status = "AUTHORISED", Direction = "CREDIT", Result = "APPROVED" });
        Assert.That(effect, Is.EqualTo(EffectResult.Of(LedgerEffect.None)));
    }

    [TestCase("AUTHORISED")]
    [TestCase("COMPLETE")]
    public void NonFinancialTransactionsHaveNoEffect(string status)
    {
        var effect = Effect(new Txn { Status = status, Financial = false });
        Assert.That(effect, Is.EqualTo(EffectResult.Of(LedgerEffect.None)));
    }

    [Test]
    public void UnknownStatusKeepsThePreviousEffectAndIsFlagged()
    {
        var effect = Effect(new Txn { Status = "SETTLED_BY_MAGIC" });
        Assert.That(effect, Is.EqualTo(EffectResult.Carry(EventFlags.UnknownStatus)));
    }

    [Test]
    public void UnknownResultKeepsThePreviousEffectAndIsFlagged()
    {
        var effect = Effect(new Txn { Status = "COMPLETE", Result = "APPROVED_BY_VIBES" });
        Assert.That(effect, Is.EqualTo(EffectResult.Carry(EventFlags.UnknownResult)));
    }

    [Test]
    public void MissingResultOnAuthorisedKeepsThePreviousEffectAndIsFlagged()
    {
        var effect = Effect(new Txn { Status = "AUTHORISED", Result = null });
        Assert.That(effect, Is.EqualTo(EffectResult.Carry(EventFlags.UnknownResult)));
    }

    [Test]
    public void UnknownDirectionKeepsThePreviousEffectAndIsFlagged()
    {
        var effect = Effect(new Txn { Status = "COMPLETE", Direction = "SIDEWAYS" });
        Assert.That(effect, Is.EqualTo(EffectResult.Carry(EventFlags.UnknownDirection)));
    }

    [Test]
    public void ExponentTravelsWithTheAmount()
    {
        var effect = Effect(new Txn { Status = "COMPLETE", Currency = "JPY", Exponent = 0, Amount = 1500 });
        Assert.That(effect.Effect, Is.EqualTo(new LedgerEffect("ACC-1", "JPY", 0, 0, -1500, "scheme:MC:JPY")));
    }
}
