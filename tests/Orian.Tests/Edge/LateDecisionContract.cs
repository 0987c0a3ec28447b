using System.Net;
using System.Text.Json;
using Orian.Tests.Support;

namespace Orian.Tests.Edge;

/// <summary>
/// A decision that commits after its request answered the stand-in is revoked durably: across a
/// database lost between the late commit and the revocation, and a restart; and a COMMIT that fails
/// without saying whether it happened is re-read before the request is answered.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class LateDecisionContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private static Txn Request(string id, long amount) =>
        new() { Id = id, Status = "AUTHORISATION_REQUESTED", Result = null, Amount = amount };

    private static async Task<JsonElement> PutAsync(TestService service, Txn txn)
    {
        using var response = await service.PutAsync(txn);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), txn.Id);
        return await TestService.JsonAsync(response);
    }

    private static async Task<(long Posted, long Held)> BalancesAsync(TestService service)
    {
        var json = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        return (json.GetProperty("posted").GetInt64(), json.GetProperty("held").GetInt64());
    }

    private static (Action<IServiceCollection> Services, Func<CommitGateStore> Gate) Gated()
    {
        CommitGateStore? gate = null;
        return (s => s.AddSingleton<Orian.Ledger.ILedgerStore>(sp => gate = new CommitGateStore(sp.GetRequiredService<Orian.Storage.LedgerStore>())), () => gate!);
    }

    [Test]
    public async Task ADatabaseLostBetweenALateCommitAndItsRevocationEndsAfterRestartWithNoHoldAndOneRevocation()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        var deadline = new Dictionary<string, string?> { ["Orian:Authorisation:DeadlineMs"] = "200" };
        await using (var first = await database.StartServiceAsync(services, deadline))
        {
            await PutAsync(first, new Txn { Id = "LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 });
            gate().RefuseAfterGate = true;
            gate().Close(); // the decision is written; its commit waits until the request has given up

            var answer = await PutAsync(first, Request("LATE-1", 400));
            Assert.That(answer.GetProperty("txn_result").GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"), "the stand-in");

            gate().Open(); // the late commit lands; from that instant this instance reaches no database
            Assert.That(await WaitForAsync(() => database.ScalarAsync<long>("SELECT count(*) FROM authorisation_decisions WHERE transaction_id = 'LATE-1'"), n => n == 1), "the late decision committed");
            Assert.That(await database.ScalarAsync<long>("SELECT held FROM accounts WHERE account_no = 'ACC-1'"), Is.EqualTo(400), "its hold stands for now");
            // On PostgreSQL the record was written before the answer; on SQLite the one writer was busy
            // with the late commit itself, so the record follows it (docs/authorisation.md).
            Assert.That(await WaitForAsync(() => database.ScalarAsync<long>("SELECT count(*) FROM authorisation_standins WHERE transaction_id = 'LATE-1'"), n => n == 1),
                "the stand-in answer was recorded durably");
        }

        // A new instance on the same database settles the open stand-in at start-up, before traffic.
        await using var second = await database.StartServiceAsync();
        Assert.That(await BalancesAsync(second), Is.EqualTo((1_000L, 0L)));
        var decision = (await second.GetJsonOrNullAsync("/v1/accounts/ACC-1/decisions"))!.Value.GetProperty("decisions")
            .EnumerateArray().Single(d => d.GetProperty("transaction_id").GetString() == "LATE-1");
        Assert.That(decision.GetProperty("revoked").GetBoolean(), Is.True);
        Assert.That(decision.GetProperty("hold_amount").GetInt64(), Is.Zero);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM journal WHERE transaction_id = 'LATE-1' AND kind = 'hold' AND amount = -400"), Is.EqualTo(1));
        Assert.That(await database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_events WHERE transaction_id = 'LATE-1' AND event_type = 'authorisation.decided' AND payload LIKE '%\"revoked\":true%'"), Is.EqualTo(1));

        // Once: another reconciliation round (a third instance) changes nothing.
        await using (var third = await database.StartServiceAsync())
        {
            Assert.That(await BalancesAsync(third), Is.EqualTo((1_000L, 0L)));
        }

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM journal WHERE transaction_id = 'LATE-1'"), Is.EqualTo(2), "one hold, one release");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM outbox_events WHERE transaction_id = 'LATE-1' AND payload LIKE '%\"revoked\":true%'"), Is.EqualTo(1));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM authorisation_standins WHERE resolved_at IS NULL"), Is.Zero);
    }

    [Test]
    public async Task ACommitThatLandedButFailedToAnswerIsReReadAndAnswersTheDecision()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using var service = await database.StartServiceAsync(services);
        await PutAsync(service, new Txn { Id = "LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 });
        gate().FailAfterNextCommit = true;

        var answer = await PutAsync(service, Request("AMB-1", 250));
        Assert.That(answer.GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(answer.GetProperty("orian_outcome").GetString(), Is.EqualTo("applied"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 250L)));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions WHERE transaction_id = 'AMB-1'"), Is.EqualTo(1), "recorded once");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM authorisation_standins"), Is.Zero, "no stand-in was answered");
    }

    [Test]
    public async Task ACommitThatFailedWithoutLandingIsRunAgainAndAnswersTheDecision()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using var service = await database.StartServiceAsync(services);
        await PutAsync(service, new Txn { Id = "LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 });
        gate().FailInsteadOfNextCommit = true;

        var answer = await PutAsync(service, Request("AMB-2", 250));
        Assert.That(answer.GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 250L)));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions WHERE transaction_id = 'AMB-2'"), Is.EqualTo(1));
    }

    [Test]
    public async Task ALateCommitThatAlsoFailedToAnswerIsStillRevoked()
    {
        // Before: the failed batch was re-run event by event, saw "duplicate", and skipped the revocation.
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using var service = await database.StartServiceAsync(services, new() { ["Orian:Authorisation:DeadlineMs"] = "200" });
        await PutAsync(service, new Txn { Id = "LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 });
        gate().FailAfterNextCommit = true;
        gate().Close();

        var answer = await PutAsync(service, Request("LATE-AMB", 300));
        Assert.That(answer.GetProperty("txn_result").GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));
        gate().Open();
        // Settled by the reconciler, on its own loop, once the late commit is in.
        await Until.TrueAsync(async () => await database.ScalarAsync<long>(
            "SELECT count(*) FROM authorisation_standins WHERE transaction_id = 'LATE-AMB' AND resolved_at IS NOT NULL") == 1, "the stand-in settled");

        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 0L)));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM authorisation_decisions WHERE transaction_id = 'LATE-AMB' AND revoked = @revoked", new { revoked = true }), Is.EqualTo(1));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions WHERE transaction_id = 'LATE-AMB'"), Is.EqualTo(1), "recorded once");
    }

    [Test]
    public async Task ANotificationWhoseCommitLandedButFailedToAnswerIsAcknowledgedOnce()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using var service = await database.StartServiceAsync(services);
        gate().FailAfterNextCommit = true;

        var answer = await PutAsync(service, new Txn { Id = "AMB-N", Amount = 70 });
        Assert.That(answer.GetProperty("outcome").GetString(), Is.EqualTo("applied"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((0L, 70L)));
    }

    /// <summary>Polls a database value the service writes in the background, a bounded number of
    /// times (the condition, not the time, ends the wait).</summary>
    private static async Task<bool> WaitForAsync(Func<Task<long>> read, Func<long, bool> done)
    {
        for (var i = 0; i < 500; i++)
        {
            if (done(await read()))
            {
                return true;
            }

            await Task.Yield();
            await Task.Delay(10);
        }

        return false;
    }
}
