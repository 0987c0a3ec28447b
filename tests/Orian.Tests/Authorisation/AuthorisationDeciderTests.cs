using FsCheck;
using FsCheck.Fluent;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Tests.Support;

namespace Orian.Tests.Authorisation;

/// <summary>Each rule of the decision, and the order in which the rules apply.</summary>
public sealed class AuthorisationDeciderTests
{
    private static readonly Txn Request = new() { Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 100 };

    private static AuthorisationContext Account(long available, AccountControls? controls = null, long spentToday = 0, string currency = "GBP") =>
        new(true, currency, 2, available, spentToday, controls ?? AccountControls.None);

    private static Decision Decide(Txn request, AuthorisationContext account, bool partial = false) =>
        AuthorisationDecider.Decide(request.Parse(), account, partial);

    private static void AssertDecision(Decision decision, TxnResult result, string detail, long hold)
    {
        Assert.Multiple(() =>
        {
            Assert.That(decision.Result, Is.EqualTo(result));
            Assert.That(decision.Detail, Is.EqualTo(detail));
            Assert.That(decision.HoldAmount, Is.EqualTo(hold));
            Assert.That(decision.Reason, Is.Not.Empty);
        });
    }

    [Test]
    public void AnUnknownAccountIsDeclinedAsNotFound()
    {
        var unknown = new AuthorisationContext(false, null, 0, 0, 0, AccountControls.None);
        AssertDecision(Decide(Request, unknown), TxnResult.Declined, ResultDetail.AccountNotFound, 0);
    }

    [Test]
    public void ABlockedAccountIsDeclinedEvenWithFunds()
    {
        var blocked = Account(10_000, AccountControls.None with { Blocked = true });
        AssertDecision(Decide(Request, blocked), TxnResult.Declined, ResultDetail.AccountBlocked, 0);
    }

    [Test]
    public void AboveTheMaximumPerTransactionIsALimitDecline()
    {
        var account = Account(10_000, AccountControls.None with { MaxTransactionAmount = 99 });
        AssertDecision(Decide(Request, account), TxnResult.Declined, ResultDetail.LimitExceeded, 0);
    }

    [Test]
    public void TheMaximumItselfIsAllowed()
    {
        var account = Account(10_000, AccountControls.None with { MaxTransactionAmount = 100 });
        AssertDecision(Decide(Request, account), TxnResult.Approved, ResultDetail.Successful, 100);
    }

    /// <summary>Whatever a day's spend and the limit are, up to the int64 limits, the daily rule
    /// declines exactly when spend + amount (exact, not wrapped) is above the limit.</summary>
    [Test]
    public void TheDailyLimitHoldsAtTheInt64Limits()
    {
        var spends = Gen.OneOf(Gen.Choose(0, int.MaxValue).Select(i => (long)i), Gen.Elements(0L, long.MaxValue, long.MaxValue - 1, long.MaxValue - 100, Orian.Edge.EdgeLimits.MaxAmountMinor));
        var amounts = Gen.OneOf(Gen.Choose(1, int.MaxValue).Select(i => (long)i), Gen.Elements(1L, Orian.Edge.EdgeLimits.MaxAmountMinor));
        var limits = Gen.OneOf(Gen.Choose(0, int.MaxValue).Select(i => (long)i), Gen.Elements(long.MaxValue, long.MaxValue - 1, 0L));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000).WithQuietOnSuccess(true), Prop.ForAll(spends.ToArbitrary(), amounts.ToArbitrary(), limits.ToArbitrary(), (spent, amount, limit) =>
        {
            var decision = Decide(Request with { Amount = amount }, Account(long.MaxValue, AccountControls.None with { DailySpendLimit = limit }, spentToday: spent));
            var over = new System.Numerics.BigInteger(spent) + amount > limit;
            return (decision.Detail == ResultDetail.LimitExceeded) == over && (decision.Result == TxnResult.Approved) == !over;
        }));
    }

    [Test]
    public void PassingTheDailySpendLimitIsALimitDecline()
    {
        var account = Account(10_000, AccountControls.None with { DailySpendLimit = 500 }, spentToday: 401);
        AssertDecision(Decide(Request, account), TxnResult.Declined, ResultDetail.LimitExceeded, 0);
        var exactly = Account(10_000, AccountControls.None with { DailySpendLimit = 500 }, spentToday: 400);
        AssertDecision(Decide(Request, exactly), TxnResult.Approved, ResultDetail.Successful, 100);
    }

    [Test]
    public void ABlockedMerchantCategoryIsDeclined()
    {
        var account = Account(10_000, AccountControls.None with { BlockedMerchantCategories = new HashSet<string> { "5812" } });
        AssertDecision(Decide(Request, account), TxnResult.Declined, ResultDetail.MerchantBlocked, 0);
    }

    [Test]
    public void AvailableBalanceThatCoversTheAmountIsApprovedAndHeld()
    {
        AssertDecision(Decide(Request, Account(100)), TxnResult.Approved, ResultDetail.Successful, 100);
    }

    [Test]
    public void TooLittleAvailableIsInsufficientFunds()
    {
        AssertDecision(Decide(Request, Account(99)), TxnResult.Declined, ResultDetail.InsufficientFunds, 0);
    }

    [Test]
    public void TooLittleAvailableWithPartialApprovalApprovesWhatIsAvailable()
    {
        var decision = Decide(Request, Account(60), partial: true);
        AssertDecision(decision, TxnResult.PartiallyApproved, ResultDetail.Successful, 60);
        Assert.That(decision.ApprovedAmount, Is.EqualTo(new Money(60, "GBP", 2)));
    }

    [TestCase(0)]
    [TestCase(-50)]
    public void NothingAvailableIsInsufficientFundsEvenWithPartialApproval(long available)
    {
        AssertDecision(Decide(Request, Account(available), partial: true), TxnResult.Declined, ResultDetail.InsufficientFunds, 0);
    }

    [Test]
    public void ACreditIsApprovedWithoutAHold()
    {
        AssertDecision(Decide(Request with { Direction = "CREDIT" }, Account(0)), TxnResult.Approved, ResultDetail.Successful, 0);
    }

    [Test]
    public void ANonFinancialRequestIsApprovedWithoutAHold()
    {
        AssertDecision(Decide(Request with { Financial = false }, Account(0)), TxnResult.Approved, ResultDetail.Successful, 0);
    }

    [Test]
    public void AnAmountInAnotherCurrencyIsASystemErrorDecline()
    {
        AssertDecision(Decide(Request with { Currency = "EUR" }, Account(10_000)), TxnResult.Declined, ResultDetail.SystemError, 0);
    }

    // The order of the rules.

    [Test]
    public void NotFoundComesBeforeEverythingElse()
    {
        var unknownButBlocked = new AuthorisationContext(false, null, 0, 0, 0, AccountControls.None with { Blocked = true });
        Assert.That(Decide(Request, unknownButBlocked).Detail, Is.EqualTo(ResultDetail.AccountNotFound));
    }

    [Test]
    public void BlockedComesBeforeLimitsAndCredits()
    {
        var controls = new AccountControls(true, 1, 1, new HashSet<string> { "5812" });
        Assert.That(Decide(Request, Account(0, controls)).Detail, Is.EqualTo(ResultDetail.AccountBlocked));
        Assert.That(Decide(Request with { Direction = "CREDIT" }, Account(0, controls)).Detail, Is.EqualTo(ResultDetail.AccountBlocked));
    }

    [Test]
    public void TheMaximumComesBeforeTheDailyLimitWhichComesBeforeTheMerchantCategory()
    {
        var all = new AccountControls(false, 50, 10, new HashSet<string> { "5812" });
        var first = Decide(Request, Account(10_000, all, spentToday: 5));
        Assert.That(first.Reason, Does.Contain("per-transaction maximum"));

        var dailyAndMerchant = all with { MaxTransactionAmount = null };
        var second = Decide(Request, Account(10_000, dailyAndMerchant, spentToday: 5));
        Assert.That(second.Reason, Does.Contain("daily limit"));

        var merchantOnly = dailyAndMerchant with { DailySpendLimit = null };
        Assert.That(Decide(Request, Account(10_000, merchantOnly)).Detail, Is.EqualTo(ResultDetail.MerchantBlocked));
    }

    [Test]
    public void LimitsComeBeforeTheBalance()
    {
        var account = Account(0, AccountControls.None with { MaxTransactionAmount = 10 });
        Assert.That(Decide(Request, account).Detail, Is.EqualTo(ResultDetail.LimitExceeded));
    }

    [Test]
    public void AProductClassSettingOverridesTheGlobalPartialApprovalSetting()
    {
        var policy = AuthorisationPolicy.Default with
        {
            PartialApproval = true,
            PartialApprovalByProductClass = new Dictionary<string, bool> { ["NO_PARTIAL"] = false, ["PARTIAL"] = true },
        };
        Assert.That(policy.AllowsPartialApproval("NO_PARTIAL"), Is.False);
        Assert.That(policy.AllowsPartialApproval("PARTIAL"), Is.True);
        Assert.That(policy.AllowsPartialApproval("OTHER"), Is.True);
        Assert.That((policy with { PartialApproval = false }).AllowsPartialApproval(null), Is.False);
    }

    [Test]
    public void TheStandInNeverHoldsMoney()
    {
        var approvingStandIn = AuthorisationPolicy.Default with { StandInResult = TxnResult.Approved, StandInDetail = "STAND_IN" };
        var decision = approvingStandIn.StandIn("deadline");
        Assert.That((decision.Result, decision.Detail, decision.HoldAmount), Is.EqualTo((TxnResult.Approved, "STAND_IN", 0L)));
    }
}
