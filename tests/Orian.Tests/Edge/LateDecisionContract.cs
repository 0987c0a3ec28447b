using System.Net;
using System.Text.Json;
using Orian.Tests.Support;

namespace Orian.Tests.Edge;

/// <summary>
/// Every decision that did not become its request's answer is revoked, whatever dies when. An
/// instance "dies" here at an exact instant: from then on nothing of it reaches the database (the
/// test store refuses every further transaction, confirmation and read), which is all a crash means
/// to the ledger; then a new instance starts on the same database. The windows: after a late commit
/// (the stand-in already answered), between a decision's commit and its confirmation, after the
/// confirmation, and inside the reconciler's own round. And a COMMIT that fails without saying
/// whether it happened is re-read before the request is answered.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class LateDecisionContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    /// <summary>A short deadline, and a scan that revokes as soon as it has passed.</summary>
    private static Dictionary<string, string?> Fast => new()
    {
        ["Orian:Authorisation:DeadlineMs"] = "200",
        ["Orian:Authorisation:ConfirmGraceMs"] = "0",
        ["Orian:Authorisation:ReconcileIntervalMs"] = "1000",
    };

    /// <summary>A deadline no commit misses on a busy machine, for the tests whose decisions must win
    /// their answers; the scan as eager as in <see cref="Fast"/>.</summary>
    private static Dictionary<string, string?> Patient => new(Fast) { ["Orian:Authorisation:DeadlineMs"] = "10000" };

    /// <summary>As time passing would: the decisions' deadlines are an hour gone.</summary>
    private static Task PassDeadlinesAsync(TestDatabase database) =>
        database.ExecuteAsync("UPDATE authorisation_decisions SET deadline_at = @past", new { past = DateTimeOffset.UtcNow.AddHours(-1) });

    private static Txn Request(string id, long amount) =>
        new() { Id = id, Status = "AUTHORISATION_REQUESTED", Result = null, Amount = amount };

    private static Txn Credit(long amount) => new() { Id = "LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = amount };

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

    private static Task<long> RevokedAsync(TestDatabase database, string id) =>
        database.ScalarAsync<long>("SELECT count(*) FROM authorisation_decisions WHERE transaction_id = @id AND revoked = @revoked", new { id, revoked = true });

    /// <summary>The ledger's state of one revoked request: no hold, one hold and one release in the
    /// journal, one revocation event, and the account's balances.</summary>
    private static async Task AssertRevokedOnceAsync(TestDatabase database, TestService service, string id, long amount, long posted)
    {
        Assert.That(await BalancesAsync(service), Is.EqualTo((posted, 0L)));
        var decision = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1/decisions"))!.Value.GetProperty("decisions")
            .EnumerateArray().Single(d => d.GetProperty("transaction_id").GetString() == id);
        Assert.That(decision.GetProperty("revoked").GetBoolean(), Is.True);
        Assert.That(decision.GetProperty("hold_amount").GetInt64(), Is.Zero);
        Assert.That(decision.GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"), "the stand-in's answer");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM journal WHERE transaction_id = @id AND kind = 'hold'", new { id }), Is.EqualTo(2), "one hold, one release");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM journal WHERE transaction_id = @id AND kind = 'hold' AND amount = @release", new { id, release = -amount }),
            Is.EqualTo(1));
        Assert.That(await database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_events WHERE transaction_id = @id AND event_type = 'authorisation.decided' AND payload LIKE '%\"revoked\":true%'", new { id }), Is.EqualTo(1));
    }

    [Test]
    public async Task ALateCommitThenACrashIsRevokedAtTheNextStartFromTheDatabaseAlone()
    {
        // The window "before the stand-in record" of the old design: here nothing is written for the
        // stand-in at all, and the crash takes the worker's hand-over with it.
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using (var first = await database.StartServiceAsync(services, Fast))
        {
            await PutAsync(first, Credit(1_000));
            gate().RefuseAfterGate = true;
            gate().Close(); // the decision is written; its commit waits until the request has given up

            var answer = await PutAsync(first, Request("LATE-1", 400));
            Assert.That(answer.GetProperty("txn_result").GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"), "the stand-in");

            gate().Open(); // the late commit lands; from that instant this instance reaches no database
            await Until.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM authorisation_decisions WHERE transaction_id = 'LATE-1'") == 1,
                "the late decision committed");
            Assert.That(await database.ScalarAsync<long>("SELECT held FROM accounts WHERE account_no = 'ACC-1'"), Is.EqualTo(400), "its hold stands for now");
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM authorisation_decisions WHERE confirmed_at IS NULL"), Is.EqualTo(1), "never confirmed");
        }

        // A new instance revokes it at start-up, before traffic (its deadline passed long ago).
        await using (var second = await database.StartServiceAsync(null, Fast))
        {
            await AssertRevokedOnceAsync(database, second, "LATE-1", 400, 1_000);
        }

        // Once: another instance's rounds change nothing.
        await using (var third = await database.StartServiceAsync(null, Fast))
        {
            await AssertRevokedOnceAsync(database, third, "LATE-1", 400, 1_000);
        }
    }

    [Test]
    public async Task ADecisionThatWonButDiedBeforeItsConfirmationIsNotTheAnswerAndIsRevoked()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using (var first = await database.StartServiceAsync(services, Patient))
        {
            await PutAsync(first, Credit(1_000));
            gate().HoldConfirms();
            var request = first.PutAsync(Request("WON-1", 300));
            await gate().ConfirmHeld.WaitAsync(Until.Guard); // committed, won the ticket, not yet confirmed
            Assert.That(request.IsCompleted, Is.False, "no answer goes out before the confirmation");
            Assert.That(await database.ScalarAsync<long>("SELECT held FROM accounts WHERE account_no = 'ACC-1'"), Is.EqualTo(300));

            gate().RefuseTransactions = true; // the instance dies here
            gate().ReleaseConfirms();
            using var response = await request.WaitAsync(Until.Guard);
            // A real crash answers nothing; this instance, cut off, can only answer the stand-in: either
            // way no approval was given, and the ledger must come to say so.
            var answer = (await TestService.JsonAsync(response)).GetProperty("txn_result");
            Assert.That(answer.GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));
        }

        await PassDeadlinesAsync(database);
        await using var second = await database.StartServiceAsync(null, Fast);
        Assert.That(await RevokedAsync(database, "WON-1"), Is.EqualTo(1), "revoked at start-up, before traffic");
        await AssertRevokedOnceAsync(database, second, "WON-1", 300, 1_000);
    }

    [Test]
    public async Task ADecisionConfirmedBeforeACrashStands()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using (var first = await database.StartServiceAsync(services, Patient))
        {
            await PutAsync(first, Credit(1_000));
            var answer = (await PutAsync(first, Request("OK-1", 300))).GetProperty("txn_result");
            Assert.That(answer.GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
            Assert.That(gate().Confirmations, Is.EqualTo(1), "confirmed before it was answered");
            gate().RefuseTransactions = true; // dies right after answering
        }

        await PassDeadlinesAsync(database);
        await using var second = await database.StartServiceAsync(null, Fast);
        Assert.That(await second.UnconfirmedDecisionsAsync(), Is.Zero);
        Assert.That(await RevokedAsync(database, "OK-1"), Is.Zero);
        Assert.That(await BalancesAsync(second), Is.EqualTo((1_000L, 300L)), "the approval PPS was told holds its money");
    }

    /// <summary>With the option on, a confirmed decision's answer says where its time went, phase by
    /// phase in order, each a finite, non-negative duration; a notification's answer says nothing, and
    /// with the option off (the default) no answer does.</summary>
    [Test]
    public async Task AConfirmedDecisionSaysWhereItsTimeWentOnlyWhenAsked()
    {
        var database = await CreateDatabaseAsync();
        await using (var service = await database.StartServiceAsync(null, new(Patient) { ["Orian:Authorisation:ServerTiming"] = "true" }))
        {
            using var credit = await service.PutAsync(Credit(1_000));
            Assert.That(credit.Headers.Contains("Server-Timing"), Is.False, "a notification");
            using var response = await service.PutAsync(Request("TIMED-1", 300));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var phases = response.Headers.GetValues("Server-Timing").Single().Split(", ").Select(p => p.Split(";dur=")).ToList();
            Assert.That(phases.Select(p => p[0]), Is.EqualTo(new[] { "lane", "begin", "lock", "plan", "write", "commit", "confirm", "answer" }));
            Assert.That(phases.Select(p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)), Has.All.GreaterThanOrEqualTo(0.0).And.All.LessThan(10_000.0));
        }

        await using var quiet = await database.StartServiceAsync(null, Patient);
        using var plain = await quiet.PutAsync(Request("TIMED-2", 100));
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(plain.Headers.Contains("Server-Timing"), Is.False, "off by default");
    }

    [Test]
    public async Task ACrashInsideTheReconcilersRoundLeavesNothingHalfDoneAndTheNextStartRevokesOnce()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using (var first = await database.StartServiceAsync(services, Fast))
        {
            await PutAsync(first, Credit(1_000));
            gate().Only = Orian.Ledger.LedgerPriority.Decision;
            gate().Close();
            var answer = await PutAsync(first, Request("ROUND-1", 500));
            Assert.That(answer.GetProperty("txn_result").GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));

            gate().HoldBegins(Orian.Ledger.LedgerPriority.Normal); // the revocation waits before it begins
            gate().Open(); // the late decision commits and is handed over
            await gate().BeginHeld.WaitAsync(Until.Guard);
            gate().FailInsteadOfNextCommit = true; // the revocation's COMMIT never happens...
            gate().RefuseAfterFailedCommit = true; // ...and the instance dies with it
            gate().ReleaseBegins();
            await Until.TrueAsync(() => gate().RefuseTransactions, "the revocation's transaction failed");
            Assert.That(await RevokedAsync(database, "ROUND-1"), Is.Zero, "nothing of the round committed");
            Assert.That(await database.ScalarAsync<long>("SELECT held FROM accounts WHERE account_no = 'ACC-1'"), Is.EqualTo(500));
        }

        await using (var second = await database.StartServiceAsync(null, Fast))
        {
            await AssertRevokedOnceAsync(database, second, "ROUND-1", 500, 1_000);
        }

        await using var third = await database.StartServiceAsync(null, Fast);
        await AssertRevokedOnceAsync(database, third, "ROUND-1", 500, 1_000);
    }

    [Test]
    public async Task EveryUnconfirmedDecisionIsRevokedPageAfterPageAndYoungOnesDoNotBlockOlderOnes()
    {
        // Before: start-up settled the first 100 records only, and 100 young ones kept older ones out.
        var database = await CreateDatabaseAsync();
        var ids = Enumerable.Range(1, 9).Select(i => $"PAGE-{i}").ToArray();
        await using (var first = await database.StartServiceAsync(null, Patient))
        {
            await PutAsync(first, Credit(10_000));
            foreach (var id in ids)
            {
                Assert.That((await PutAsync(first, Request(id, 100))).GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
            }
        }

        // As a crash between each commit and its confirmation would have left them: the first six past
        // one same deadline (so pages end inside a run of equal deadlines, and the keyset must go on by
        // key), the last three not due for an hour.
        var now = DateTimeOffset.UtcNow;
        await database.ExecuteAsync("UPDATE authorisation_decisions SET confirmed_at = NULL, deadline_at = @past", new { past = now.AddHours(-1) });
        await database.ExecuteAsync("UPDATE authorisation_decisions SET deadline_at = @due WHERE transaction_id IN ('PAGE-7', 'PAGE-8', 'PAGE-9')",
            new { due = now.AddHours(1) });

        var settings = Fast;
        settings["Orian:Authorisation:ReconcilePageSize"] = "2";
        await using var second = await database.StartServiceAsync(null, settings);
        // All six at start-up, three pages and a last empty one, before any traffic.
        foreach (var id in ids[..6])
        {
            Assert.That(await RevokedAsync(database, id), Is.EqualTo(1), id);
        }

        foreach (var id in ids[6..])
        {
            Assert.That(await RevokedAsync(database, id), Is.Zero, id + " is not due yet");
        }

        Assert.That(await BalancesAsync(second), Is.EqualTo((10_000L, 300L)));
        Assert.That(await second.UnconfirmedDecisionsAsync(), Is.EqualTo(3));
    }

    [Test]
    public async Task ACommitThatLandedButFailedToAnswerIsReReadAndAnswersTheDecision()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using var service = await database.StartServiceAsync(services);
        await PutAsync(service, Credit(1_000));
        gate().FailAfterNextCommit = true;

        var answer = await PutAsync(service, Request("AMB-1", 250));
        Assert.That(answer.GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(answer.GetProperty("orian_outcome").GetString(), Is.EqualTo("applied"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 250L)));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions WHERE transaction_id = 'AMB-1'"), Is.EqualTo(1), "recorded once");
        Assert.That(await service.UnconfirmedDecisionsAsync(), Is.Zero, "the decision was confirmed as the answer");
    }

    [Test]
    public async Task ACommitThatFailedWithoutLandingIsRunAgainAndAnswersTheDecision()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using var service = await database.StartServiceAsync(services);
        await PutAsync(service, Credit(1_000));
        gate().FailInsteadOfNextCommit = true;

        var answer = await PutAsync(service, Request("AMB-2", 250));
        Assert.That(answer.GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(await BalancesAsync(service), Is.EqualTo((1_000L, 250L)));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions WHERE transaction_id = 'AMB-2'"), Is.EqualTo(1));
    }

    [Test]
    public async Task ALateCommitThatAlsoFailedToAnswerIsStillRevoked()
    {
        var database = await CreateDatabaseAsync();
        var (services, gate) = Gated();
        await using var service = await database.StartServiceAsync(services, Fast);
        await PutAsync(service, Credit(1_000));
        gate().FailAfterNextCommit = true;
        gate().Close();

        var answer = await PutAsync(service, Request("LATE-AMB", 300));
        Assert.That(answer.GetProperty("txn_result").GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));
        gate().Open();
        // Revoked by the reconciler, on its own loop, once the late commit is in.
        await Until.TrueAsync(async () => await RevokedAsync(database, "LATE-AMB") == 1, "the late decision revoked");
        await AssertRevokedOnceAsync(database, service, "LATE-AMB", 300, 1_000);
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
}
