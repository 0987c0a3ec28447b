using System.Net;
using System.Text;
using System.Text.Json;
using Orian.Tests.Support;

namespace Orian.Tests.Authorisation;

/// <summary>Delegated authorisation over real HTTP on 127.0.0.1, against each storage provider.</summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class AuthorisationApiContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    internal async Task<TestService> StartAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null) =>
        await (await CreateDatabaseAsync("auth")).StartServiceAsync(services, settings);

    private static Txn Request(string id, long amount, string account = "ACC-1", long version = 1) =>
        new() { Id = id, Version = version, Status = "AUTHORISATION_REQUESTED", Result = null, Amount = amount, Account = account };

    private static async Task FundAsync(TestService service, long amount, string account = "ACC-1", string id = "LOAD")
    {
        using var response = await service.PutAsync(new Txn { Id = id, Direction = "CREDIT", Status = "COMPLETE", Amount = amount, Account = account });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task<JsonElement> AuthoriseAsync(TestService service, Txn request)
    {
        using var response = await service.PutAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await TestService.JsonAsync(response);
        Assert.That(body.GetProperty("id").GetString(), Is.EqualTo(request.Id), "the answer is the transaction resource");
        return body.GetProperty("txn_result");
    }

    private static async Task<JsonElement[]> DecisionsAsync(TestService service, string account = "ACC-1") =>
        [.. (await service.GetJsonOrNullAsync($"/v1/accounts/{account}/decisions"))!.Value.GetProperty("decisions").EnumerateArray()];

    private static async Task<(long Posted, long Held)> BalancesAsync(TestService service, string account = "ACC-1")
    {
        var json = (await service.GetJsonOrNullAsync($"/v1/accounts/{account}"))!.Value;
        return (json.GetProperty("posted").GetInt64(), json.GetProperty("held").GetInt64());
    }

    [Test]
    public async Task ACoveredRequestIsApprovedAndHeldInTheSameCommit()
    {
        await using var service = await StartAsync();
        await FundAsync(service, 1_000);
        var result = await AuthoriseAsync(service, Request("A1", 250));

        Assert.That(result.GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(result.GetProperty("result_detail").GetString(), Is.EqualTo("SUCCESSFUL"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 250L)));
        var txn = (await service.GetJsonOrNullAsync("/v1/transactions/A1"))!.Value;
        Assert.That(txn.GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
    }

    [Test]
    public async Task FiftyParallelRequestsOfOneHundredAgainstOneThousandApproveExactlyTen()
    {
        // What is under test is the count of approvals, not the deadline: on a loaded machine 50
        // decisions at once may pass 1.5 s, and a stand-in there would say nothing about the count.
        await using var service = await StartAsync(settings: new() { ["Orian:Authorisation:DeadlineMs"] = "30000" });
        await FundAsync(service, 1_000);
        var results = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => AuthoriseAsync(service, Request($"PAR-{i}", 100))));

        var approved = results.Count(r => r.GetProperty("result").GetString() == "APPROVED");
        var insufficient = results.Count(r => r.GetProperty("result_detail").GetString() == "INSUFFICIENT_FUNDS");
        Assert.That(approved, Is.EqualTo(10));
        Assert.That(insufficient, Is.EqualTo(40));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 1_000L)));
    }

    [Test]
    public async Task AReSentRequestReturnsTheFirstDecisionAndHoldsNothingMore()
    {
        await using var service = await StartAsync();
        await FundAsync(service, 150);
        var first = await AuthoriseAsync(service, Request("R1", 100));
        var declined = await AuthoriseAsync(service, Request("R2", 100));
        await FundAsync(service, 1_000, id: "LOAD-2"); // R2 would now be covered, but its answer stands

        var again = await AuthoriseAsync(service, Request("R1", 100));
        var declinedAgain = await AuthoriseAsync(service, Request("R2", 100));
        Assert.That(again.GetProperty("result").GetString(), Is.EqualTo(first.GetProperty("result").GetString()));
        Assert.That(again.GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(declinedAgain.GetProperty("result_detail").GetString(), Is.EqualTo(declined.GetProperty("result_detail").GetString()));
        Assert.That(declinedAgain.GetProperty("result_detail").GetString(), Is.EqualTo("INSUFFICIENT_FUNDS"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_150L, 100L)));
    }

    [Test]
    public async Task AnUnknownAccountIsDeclinedAndNoAccountIsOpened()
    {
        await using var service = await StartAsync();
        var result = await AuthoriseAsync(service, Request("U1", 100, account: "NOBODY"));
        Assert.That(result.GetProperty("result_detail").GetString(), Is.EqualTo("ACCOUNT_NOT_FOUND"));
        Assert.That(await service.GetJsonOrNullAsync("/v1/accounts/NOBODY"), Is.Null);
    }

    [Test]
    public async Task PartialApprovalApprovesAndHoldsWhatIsAvailable()
    {
        await using var service = await StartAsync(settings: new() { ["Orian:Authorisation:PartialApproval"] = "true" });
        await FundAsync(service, 60);
        var result = await AuthoriseAsync(service, Request("PA1", 100));
        Assert.That(result.GetProperty("result").GetString(), Is.EqualTo("PARTIALLY_APPROVED"));
        Assert.That(result.GetProperty("approved_amount").GetProperty("amount").GetInt64(), Is.EqualTo(60));
        Assert.That(result.GetProperty("approved_amount").GetProperty("currency").GetProperty("code").GetString(), Is.EqualTo("GBP"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((60L, 60L)));
    }

    [Test]
    public async Task ACreditAuthorisationIsApprovedWithoutAHold()
    {
        await using var service = await StartAsync();
        await FundAsync(service, 10);
        var refund = Request("CR1", 500) with { Direction = "CREDIT" };
        var result = await AuthoriseAsync(service, refund);
        Assert.That(result.GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((10L, 0L)));
    }

    /// <summary>A service with a 200 ms deadline whose store the test can hold, and 1,000 on ACC-1.</summary>
    private async Task<(TestService Service, CommitGateStore Gate)> StartGatedAndFundedAsync()
    {
        CommitGateStore? gate = null;
        var service = await StartAsync(
            s => s.AddSingleton<Orian.Ledger.ILedgerStore>(sp => gate = new CommitGateStore(sp.GetRequiredService<Orian.Storage.LedgerStore>())),
            new() { ["Orian:Authorisation:DeadlineMs"] = "200" });
        await FundAsync(service, 1_000);
        return (service, gate!);
    }

    [Test]
    public async Task ASlowCommitAnswersTheStandInAndLeavesNoHold()
    {
        var (service, gate) = await StartGatedAndFundedAsync();
        await using var _ = service;

        gate.Close(); // the decision will be written, but its commit waits until the request has given up
        var result = await AuthoriseAsync(service, Request("SLOW", 100));
        Assert.That(result.GetProperty("result").GetString(), Is.EqualTo("DECLINED"));
        Assert.That(result.GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));

        gate.Open();
        // The decision worker answers and moves on; the reconciler revokes the late decision on its own loop.
        await Until.TrueAsync(async () => (await DecisionsAsync(service)) is [var d] && d.GetProperty("revoked").GetBoolean(), "the late decision revoked");
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 0L)));
        var decision = (await DecisionsAsync(service))[0];
        Assert.Multiple(() =>
        {
            Assert.That(decision.GetProperty("transaction_id").GetString(), Is.EqualTo("SLOW"));
            Assert.That(decision.GetProperty("result").GetString(), Is.EqualTo("DECLINED"));
            Assert.That(decision.GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));
            Assert.That(decision.GetProperty("timed_out").GetBoolean(), Is.True);
            Assert.That(decision.GetProperty("revoked").GetBoolean(), Is.True);
            Assert.That(decision.GetProperty("hold_amount").GetInt64(), Is.Zero);
        });
        var txn = (await service.GetJsonOrNullAsync("/v1/transactions/SLOW"))!.Value;
        Assert.That(txn.GetProperty("result").GetString(), Is.EqualTo("DECLINED"));
        Assert.That(txn.GetProperty("effect").GetProperty("held").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task ARequestThatTimesOutBeforeItIsDecidedIsRecordedAsTheStandIn()
    {
        var (service, gate) = await StartGatedAndFundedAsync();
        await using var _ = service;
        gate.GateBegin = true;
        gate.Close(); // the worker cannot even start the transaction before the deadline

        var result = await AuthoriseAsync(service, Request("LATE", 100));
        Assert.That(result.GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));
        gate.Open();
        await Until.TrueAsync(async () => (await DecisionsAsync(service)).Length == 1, "the late batch committed");
        await Until.TrueAsync(async () => await service.UnconfirmedDecisionsAsync() == 0, "the stand-in settled");

        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 0L)));
        var decision = (await DecisionsAsync(service))[0];
        Assert.That(decision.GetProperty("transaction_id").GetString(), Is.EqualTo("LATE"));
        Assert.That(decision.GetProperty("timed_out").GetBoolean(), Is.True);
        Assert.That(decision.GetProperty("revoked").GetBoolean(), Is.False);
        Assert.That(decision.GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));

        // PPS then sends what it decided itself (its own stand-in approved it): applied by the version rule.
        using var pps = await service.PutAsync(new Txn { Id = "LATE", Version = 2, Status = "AUTHORISED", Amount = 100 });
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 100L)));
    }

    [Test]
    public async Task AuthorisedForTheSameAmountKeepsExactlyOneHoldAndCompletePostsAndReleasesIt()
    {
        await using var service = await StartAsync();
        await FundAsync(service, 1_000);
        await AuthoriseAsync(service, Request("REC", 300));
        using (var authorised = await service.PutAsync(new Txn { Id = "REC", Version = 2, Status = "AUTHORISED", Amount = 300 }))
        {
            Assert.That(authorised.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 300L)));
        using (var complete = await service.PutAsync(new Txn { Id = "REC", Version = 3, Status = "COMPLETE", Amount = 300, ClearingAmount = 320 }))
        {
            Assert.That(complete.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await BalancesAsync(service), Is.EqualTo((680L, 0L)));
    }

    [TestCase("COMPLETE", "DECLINED")]
    [TestCase("CANCELLED", "APPROVED")]
    [TestCase("EXPIRED", "APPROVED")]
    public async Task ADeclineOrCancellationFromPpsReleasesOurHold(string status, string result)
    {
        await using var service = await StartAsync();
        await FundAsync(service, 1_000);
        await AuthoriseAsync(service, Request("REL", 400));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 400L)));

        using var later = await service.PutAsync(new Txn { Id = "REL", Version = 2, Status = status, Result = result, Amount = 400 });
        Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 0L)));
    }

    private async Task<TestService> StartWithDailyLimitAsync(long limit)
    {
        var service = await StartAsync();
        await FundAsync(service, 10_000);
        using var put = await PutControlsAsync(service, "ACC-1", $"{{\"status\":\"ACTIVE\",\"daily_spend_limit\":{limit}}}");
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return service;
    }

    [TestCase("CANCELLED")]
    [TestCase("EXPIRED")]
    [TestCase("MANUALLY_EXPIRED")]
    public async Task DailySpendGivesBackAnAuthorisationPpsLaterEnded(string status)
    {
        await using var service = await StartWithDailyLimitAsync(1_000);
        Assert.That((await AuthoriseAsync(service, Request("D1", 700))).GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That((await AuthoriseAsync(service, Request("D2", 700))).GetProperty("result_detail").GetString(), Is.EqualTo("LIMIT_EXCEEDED"), "700 + 700 > 1000");

        using (var ended = await service.PutAsync(new Txn { Id = "D1", Version = 2, Status = status, Amount = 700 }))
        {
            Assert.That(ended.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That((await AuthoriseAsync(service, Request("D3", 700))).GetProperty("result").GetString(), Is.EqualTo("APPROVED"), "the ended 700 no longer counts");
    }

    [Test]
    public async Task DailySpendCountsAPartialReversalAtItsReducedAmount()
    {
        await using var service = await StartWithDailyLimitAsync(1_000);
        Assert.That((await AuthoriseAsync(service, Request("P1", 800))).GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        using (var cleared = await service.PutAsync(new Txn { Id = "P1", Version = 2, Status = "COMPLETE", Amount = 800, ClearingAmount = 300 }))
        {
            Assert.That(cleared.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That((await AuthoriseAsync(service, Request("P2", 600))).GetProperty("result").GetString(), Is.EqualTo("APPROVED"), "300 + 600 <= 1000");
        Assert.That((await AuthoriseAsync(service, Request("P3", 200))).GetProperty("result_detail").GetString(), Is.EqualTo("LIMIT_EXCEEDED"), "300 + 600 + 200 > 1000");
    }

    [Test]
    public async Task DailySpendCountsTodaysDebitsWhoeverDecidedThemAndNotCredits()
    {
        await using var service = await StartWithDailyLimitAsync(1_000);
        using (var byPps = await service.PutAsync(new Txn { Id = "PPS-1", Status = "AUTHORISED", Amount = 600 }))
        {
            Assert.That(byPps.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await FundAsync(service, 5_000, id: "LOAD-2"); // a credit is not spend
        Assert.That((await AuthoriseAsync(service, Request("Q1", 500))).GetProperty("result_detail").GetString(), Is.EqualTo("LIMIT_EXCEEDED"), "600 authorised by PPS + 500 > 1000");
        Assert.That((await AuthoriseAsync(service, Request("Q2", 400))).GetProperty("result").GetString(), Is.EqualTo("APPROVED"), "600 + 400 <= 1000");
    }

    [Test]
    public async Task ADailyLimitSetDuringTheDayCountsWhatWasSpentBeforeIt()
    {
        // Spend is summed only for accounts with a limit: one set at noon must still see the morning.
        await using var service = await StartAsync();
        await FundAsync(service, 10_000);
        Assert.That((await AuthoriseAsync(service, Request("M1", 600))).GetProperty("result").GetString(), Is.EqualTo("APPROVED"), "no limit yet");
        using (var put = await PutControlsAsync(service, "ACC-1", "{\"status\":\"ACTIVE\",\"daily_spend_limit\":1000}"))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That((await AuthoriseAsync(service, Request("M2", 500))).GetProperty("result_detail").GetString(), Is.EqualTo("LIMIT_EXCEEDED"), "600 before the limit + 500 > 1000");
        Assert.That((await AuthoriseAsync(service, Request("M3", 400))).GetProperty("result").GetString(), Is.EqualTo("APPROVED"), "600 + 400 <= 1000");
    }

    [Test]
    public async Task ControlsAreStoredAndDecideLaterRequests()
    {
        await using var service = await StartAsync();
        await FundAsync(service, 10_000);
        using (var put = await PutControlsAsync(service, "ACC-1",
            "{\"status\":\"ACTIVE\",\"max_transaction_amount\":5000,\"daily_spend_limit\":1000,\"blocked_merchant_categories\":[\"7995\"]}"))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var controls = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1/controls"))!.Value;
        Assert.That(controls.GetProperty("daily_spend_limit").GetInt64(), Is.EqualTo(1000));
        Assert.That(controls.GetProperty("blocked_merchant_categories")[0].GetString(), Is.EqualTo("7995"));

        Assert.That((await AuthoriseAsync(service, Request("C1", 6_000))).GetProperty("result_detail").GetString(), Is.EqualTo("LIMIT_EXCEEDED"));
        Assert.That((await AuthoriseAsync(service, Request("C2", 100) with { MerchantCategory = "7995" })).GetProperty("result_detail").GetString(), Is.EqualTo("MERCHANT_BLOCKED"));
        Assert.That((await AuthoriseAsync(service, Request("C3", 700))).GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That((await AuthoriseAsync(service, Request("C4", 400))).GetProperty("result_detail").GetString(), Is.EqualTo("LIMIT_EXCEEDED"), "700 + 400 passes the daily 1000");

        using (var block = await PutControlsAsync(service, "ACC-1", "{\"status\":\"BLOCKED\"}"))
        {
            Assert.That(block.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That((await AuthoriseAsync(service, Request("C5", 1))).GetProperty("result_detail").GetString(), Is.EqualTo("ACCOUNT_BLOCKED"));

        var decisions = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1/decisions"))!.Value.GetProperty("decisions");
        Assert.That(decisions.GetArrayLength(), Is.EqualTo(5));
        Assert.That(decisions.EnumerateArray().Select(d => d.GetProperty("reason").GetString()), Has.All.Not.Empty);
        Assert.That(decisions.EnumerateArray().Select(d => d.GetProperty("latency_ms").GetDouble()), Has.All.GreaterThanOrEqualTo(0));
    }

    [TestCase("{}", "status")]
    [TestCase("{\"status\":\"FROZEN\"}", "status")]
    [TestCase("{\"status\":\"ACTIVE\",\"max_transaction_amount\":-5}", "max_transaction_amount")]
    [TestCase("{\"status\":\"ACTIVE\",\"max_transaction_amount\":1.5}", "max_transaction_amount")]
    [TestCase("{\"status\":\"ACTIVE\",\"daily_spend_limit\":\"100\"}", "daily_spend_limit")]
    [TestCase("{\"status\":\"ACTIVE\",\"blocked_merchant_categories\":\"7995\"}", "blocked_merchant_categories")]
    [TestCase("{\"status\":\"ACTIVE\",\"blocked_merchant_categories\":[\"79\"]}", "blocked_merchant_categories")]
    [TestCase("{\"status\":\"ACTIVE\",\"blocked_merchant_categories\":[7995]}", "blocked_merchant_categories")]
    [TestCase("not json", "$")]
    public async Task InvalidControlsAreRejectedNamingTheFieldAndChangeNothing(string body, string field)
    {
        await using var service = await StartAsync();
        using (var first = await PutControlsAsync(service, "ACC-1", "{\"status\":\"ACTIVE\",\"max_transaction_amount\":42}"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var response = await PutControlsAsync(service, "ACC-1", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await TestService.JsonAsync(response)).GetProperty("field").GetString(), Is.EqualTo(field));
        var controls = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1/controls"))!.Value;
        Assert.That(controls.GetProperty("max_transaction_amount").GetInt64(), Is.EqualTo(42));
    }

    [Test]
    public async Task ControlsRequireTheOperatorKey()
    {
        await using var service = await StartAsync();
        using var content = new StringContent("{\"status\":\"BLOCKED\"}", Encoding.UTF8, "application/json");
        using var response = await service.Anonymous.PutAsync("/v1/accounts/ACC-1/controls", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var controls = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1/controls"))!.Value;
        Assert.That(controls.GetProperty("status").GetString(), Is.EqualTo("ACTIVE"));
    }

    private static Task<HttpResponseMessage> PutControlsAsync(TestService service, string account, string body) =>
        service.Operator.PutAsync($"/v1/accounts/{account}/controls", new StringContent(body, Encoding.UTF8, "application/json"));
}
