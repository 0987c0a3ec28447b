using System.Net;
using System.Text.Json;
using Orian.Tests.Support;

namespace Orian.Tests.Edge;

/// <summary>Transfers between two PPS accounts: the payer is debited (held while authorised, posted
/// when complete) and the payee credited when complete, as one entry between them; on each provider.</summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class TransferContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private static Txn Transfer(long version, string status, long amount = 300, string? result = "APPROVED") =>
        new() { Id = "TR-1", Version = version, Status = status, Result = result, Account = "PAYER", PayeeAccount = "PAYEE", Amount = amount };

    private static async Task<JsonElement> PutAsync(TestService service, Txn txn)
    {
        using var response = await service.PutAsync(txn);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), txn.Id);
        return await TestService.JsonAsync(response);
    }

    private static async Task<(long Posted, long Held)?> BalancesAsync(TestService service, string account)
    {
        var json = await service.GetJsonOrNullAsync($"/v1/accounts/{account}");
        return json is { } a ? (a.GetProperty("posted").GetInt64(), a.GetProperty("held").GetInt64()) : null;
    }

    private static async Task<TestService> StartFundedAsync(TestDatabase database, string payeeCurrency = "GBP")
    {
        var service = await database.StartServiceAsync();
        await PutAsync(service, new Txn { Id = "LOAD-PAYER", Account = "PAYER", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 });
        if (payeeCurrency != "GBP")
        {
            await PutAsync(service, new Txn { Id = "LOAD-PAYEE", Account = "PAYEE", Direction = "CREDIT", Status = "COMPLETE", Amount = 50, Currency = payeeCurrency });
        }

        return service;
    }

    [Test]
    public async Task AnAuthorisedTransferHoldsOnThePayerOnlyAndCompletionMovesTheMoneyToThePayee()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);

        await PutAsync(service, Transfer(1, "AUTHORISED"));
        Assert.That(await BalancesAsync(service, "PAYER"), Is.EqualTo((1_000L, 300L)));
        Assert.That(await BalancesAsync(service, "PAYEE"), Is.Null, "not credited, not opened, before completion");

        await PutAsync(service, Transfer(2, "COMPLETE"));
        Assert.That(await BalancesAsync(service, "PAYER"), Is.EqualTo((700L, 0L)));
        Assert.That(await BalancesAsync(service, "PAYEE"), Is.EqualTo((300L, 0L)));

        var lines = await database.QueryAsync<(string Account, string Kind, long Amount)>(
            "SELECT account_no, kind, amount FROM journal WHERE transaction_id = 'TR-1' AND kind = 'posting' ORDER BY id");
        Assert.That(lines, Is.EquivalentTo(new[] { ("PAYER", "posting", -300L), ("PAYEE", "posting", 300L) }), "one entry between the two accounts, no scheme account");
    }

    [TestCase("CANCELLED")]
    [TestCase("EXPIRED")]
    public async Task ACompletedTransferLaterCancelledReversesBothLegs(string status)
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);
        await PutAsync(service, Transfer(1, "COMPLETE"));
        await PutAsync(service, Transfer(2, status));

        Assert.That(await BalancesAsync(service, "PAYER"), Is.EqualTo((1_000L, 0L)));
        Assert.That(await BalancesAsync(service, "PAYEE"), Is.EqualTo((0L, 0L)));
        Assert.That(await database.ScalarAsync<long>("SELECT coalesce(sum(amount), 0) FROM journal WHERE kind = 'posting' AND transaction_id = 'TR-1'"), Is.Zero);
    }

    [Test]
    public async Task VersionsInAnyOrderEndAtTheHighestVersion()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);
        var complete = await PutAsync(service, Transfer(2, "COMPLETE", amount: 250));
        var authorised = await PutAsync(service, Transfer(1, "AUTHORISED"));
        var again = await PutAsync(service, Transfer(2, "COMPLETE", amount: 250));

        Assert.That(new[] { complete, authorised, again }.Select(r => r.GetProperty("outcome").GetString()), Is.EqualTo(new[] { "applied", "stale", "duplicate" }));
        Assert.That(await BalancesAsync(service, "PAYER"), Is.EqualTo((750L, 0L)));
        Assert.That(await BalancesAsync(service, "PAYEE"), Is.EqualTo((250L, 0L)));
    }

    [Test]
    public async Task ADeclinedTransferMovesNothing()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);
        await PutAsync(service, Transfer(1, "AUTHORISED"));
        await PutAsync(service, Transfer(2, "COMPLETE", result: "DECLINED"));
        Assert.That(await BalancesAsync(service, "PAYER"), Is.EqualTo((1_000L, 0L)));
        Assert.That(await BalancesAsync(service, "PAYEE"), Is.Null);
    }

    [Test]
    public async Task ACompletedTransferMakesThePayeesMoneySpendable()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);
        await PutAsync(service, Transfer(1, "COMPLETE", amount: 400));

        var decision = await PutAsync(service, new Txn { Id = "SPEND", Account = "PAYEE", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 350 });
        Assert.That(decision.GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(await BalancesAsync(service, "PAYEE"), Is.EqualTo((400L, 350L)));
    }

    [Test]
    public async Task AnAuthorisationRequestForATransferIsDecidedOnThePayer()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database);
        var covered = await PutAsync(service, Transfer(1, "AUTHORISATION_REQUESTED", amount: 900, result: null));
        Assert.That(covered.GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(await BalancesAsync(service, "PAYER"), Is.EqualTo((1_000L, 900L)));

        var uncovered = await PutAsync(service, Transfer(1, "AUTHORISATION_REQUESTED", amount: 200, result: null) with { Id = "TR-2" });
        Assert.That(uncovered.GetProperty("txn_result").GetProperty("result_detail").GetString(), Is.EqualTo("INSUFFICIENT_FUNDS"));
    }

    [Test]
    public async Task ATransferToAPayeeInAnotherCurrencyIsFlaggedAndMovesNothingOnEitherSide()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await StartFundedAsync(database, payeeCurrency: "USD");
        var authorised = await PutAsync(service, Transfer(1, "AUTHORISED"));
        var complete = await PutAsync(service, Transfer(2, "COMPLETE"));

        foreach (var answer in new[] { authorised, complete })
        {
            Assert.That(answer.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Contain("currency_mismatch"));
        }

        Assert.That(await BalancesAsync(service, "PAYER"), Is.EqualTo((1_000L, 0L)), "no payer hold either");
        Assert.That(await BalancesAsync(service, "PAYEE"), Is.EqualTo((50L, 0L)));
    }
}
