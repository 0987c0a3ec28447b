using System.Net;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Orian.Ledger;
using Orian.Tests.Support;

namespace Orian.Tests.Authorisation;

/// <summary>
/// Decisions have a worker of their own in each partition: they never wait for a notification batch
/// on another account, they wait for (and see) one on their own account, and however decisions and
/// batches on one account interleave, the ledger ends where the answers say it must.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class DecisionLaneContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    /// <summary>One partition, so both accounts share a decision worker and a notification worker;
    /// a deadline out of the way, so a stand-in says something went wrong, not that the host was slow.</summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Orian:Pipeline:Partitions"] = "1",
        ["Orian:Authorisation:DeadlineMs"] = "30000",
    };

    private async Task<(TestService Service, CommitGateStore Gate)> StartGatedAsync()
    {
        CommitGateStore? gate = null;
        var service = await (await CreateDatabaseAsync("lanes")).StartServiceAsync(
            s => s.AddSingleton<ILedgerStore>(sp => gate = new CommitGateStore(sp.GetRequiredService<Orian.Storage.LedgerStore>())), Settings);
        return (service, gate!);
    }

    private static Txn Credit(string id, string account, long amount) =>
        new() { Id = id, Direction = "CREDIT", Status = "COMPLETE", Amount = amount, Account = account };

    private static Txn Request(string id, string account, long amount) =>
        new() { Id = id, Status = "AUTHORISATION_REQUESTED", Result = null, Amount = amount, Account = account };

    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await TestService.JsonAsync(response);
    }

    private static async Task<(long Posted, long Held)> BalancesAsync(TestService service, string account)
    {
        // An account that only ever had requests against it was never opened: nothing on it.
        return await service.GetJsonOrNullAsync($"/v1/accounts/{Uri.EscapeDataString(account)}") is { } json
            ? (json.GetProperty("posted").GetInt64(), json.GetProperty("held").GetInt64())
            : (0, 0);
    }

    [Test]
    public async Task WhileANotificationBatchIsHeldADecisionOnAnotherAccountCommitsAndAnswers()
    {
        var (service, gate) = await StartGatedAsync();
        await using var _ = service;
        await OkAsync(service.PutAsync(Credit("FUND-2", "ACC-2", 1_000)));

        // Notification batches are held: inside their transaction where the database lets another
        // commit beside it (row locks), before it on SQLite, whose one writer it would otherwise hold.
        gate.Only = LedgerPriority.Normal;
        gate.GateBegin = Provider.OneWriterAtATime;
        gate.Close();
        var held = service.PutAsync(Credit("HELD", "ACC-1", 500));
        await gate.Waiting;

        // Guarded: a decision stuck behind the held batch would otherwise wait for ever.
        var decision = await OkAsync(service.PutAsync(Request("OTHER", "ACC-2", 300)).WaitAsync(Until.Guard));
        Assert.That(decision.GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(await BalancesAsync(service, "ACC-2"), Is.EqualTo((1_000L, 300L)), "committed with its hold");
        Assert.That(held.IsCompleted, Is.False, "the notification batch is still held at its gate");

        gate.Open();
        await OkAsync(held);
        Assert.That(await BalancesAsync(service, "ACC-1"), Is.EqualTo((500L, 0L)));
    }

    [Test]
    public async Task ADecisionOnTheAccountOfAHeldBatchWaitsForItAndSeesWhatItCommitted()
    {
        var (service, gate) = await StartGatedAsync();
        await using var _ = service;
        await OkAsync(service.PutAsync(Credit("FUND-1", "ACC-1", 100)));

        gate.Only = LedgerPriority.Normal; // held at its commit: its locks (or SQLite's writer) taken
        gate.Close();
        var held = service.PutAsync(Credit("HELD", "ACC-1", 500));
        await gate.Waiting;

        var decision = service.PutAsync(Request("SAME", "ACC-1", 300));
        await gate.DecisionBegun;
        Assert.That(decision.IsCompleted, Is.False, "the decision waits for the batch that holds its account");

        gate.Open();
        await OkAsync(held);
        var answer = (await OkAsync(decision)).GetProperty("txn_result");
        Assert.That(answer.GetProperty("result").GetString(), Is.EqualTo("APPROVED"), "100 alone would not cover 300: it saw the 500");
        Assert.That(await BalancesAsync(service, "ACC-1"), Is.EqualTo((600L, 300L)));
    }

    [Test]
    public async Task TheSettlementOfALateDecisionDoesNotDelayTheNextDecision()
    {
        CommitGateStore? gate = null;
        var service = await (await CreateDatabaseAsync("lanes")).StartServiceAsync(
            s => s.AddSingleton<ILedgerStore>(sp => gate = new CommitGateStore(sp.GetRequiredService<Orian.Storage.LedgerStore>())),
            new(Settings) { ["Orian:Authorisation:DeadlineMs"] = "5000" });
        await using var _ = service;
        await OkAsync(service.PutAsync(Credit("FUND-1", "ACC-1", 1_000)));

        gate!.Only = LedgerPriority.Decision; // the first decision commits only after its request gave up
        gate.Close();
        var late = (await OkAsync(service.PutAsync(Request("LATE", "ACC-1", 400)))).GetProperty("txn_result");
        Assert.That(late.GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"), "the stand-in");

        // From here the settlement (like every ordinary transaction) waits before it begins.
        gate.HoldBegins(LedgerPriority.Normal);
        gate.Open(); // the late decision commits; its settlement is handed to the reconciler
        await gate.BeginHeld;
        await Until.TrueAsync(async () => await service.UnconfirmedDecisionsAsync() == 1, "the stand-in recorded, not yet settled");

        var next = (await OkAsync(service.PutAsync(Request("NEXT", "ACC-1", 300)).WaitAsync(Until.Guard))).GetProperty("txn_result");
        Assert.That(next.GetProperty("result").GetString(), Is.EqualTo("APPROVED"), "decided while the settlement is held");
        Assert.That(await service.UnconfirmedDecisionsAsync(), Is.EqualTo(1), "the late decision is not settled yet");
        Assert.That(await BalancesAsync(service, "ACC-1"), Is.EqualTo((1_000L, 700L)), "the late hold stands until it is revoked");

        gate.ReleaseBegins();
        await Until.TrueAsync(async () => await service.UnconfirmedDecisionsAsync() == 0, "the late decision settled");
        Assert.That(await BalancesAsync(service, "ACC-1"), Is.EqualTo((1_000L, 300L)), "only the decision that was answered holds");
    }

    /// <summary>What one case sends on one account, all at once.</summary>
    private sealed record Op(string Kind, long Amount)
    {
        public override string ToString() => $"{Kind} {Amount}";
    }

    private static readonly Gen<Op[]> Cases =
        Gen.ListOf(Gen.Frequency(
                (3, Gen.Choose(1, 400).Select(a => new Op("credit", a))),
                (5, Gen.Choose(1, 300).Select(a => new Op("authorise", a))),
                (1, Gen.Choose(1, 200).Select(a => new Op("card", a))),
                (1, Gen.Choose(1, 200).Select(a => new Op("card-complete", a)))))
            .Select(ops => ops.Take(24).ToArray())
            .Where(ops => ops.Length > 0);

    [Test]
    public async Task ConcurrentDecisionsAndBatchesOnOneAccountEndWithTheOraclesBalances()
    {
        var database = await CreateDatabaseAsync("lane-oracle");
        await using var service = await database.StartServiceAsync(settings: Settings);
        var run = 0;
        var property = Prop.ForAll(Cases.ToArbitrary(), ops =>
        {
            var account = $"PQ-{++run}";
            var sends = new List<(Op Op, Task<HttpResponseMessage> Answer)>();
            for (var i = 0; i < ops.Length; i++)
            {
                var (op, id) = (ops[i], $"{account}-{i}");
                switch (op.Kind)
                {
                    case "credit":
                        sends.Add((op, service.PutAsync(Credit(id, account, op.Amount))));
                        break;
                    case "authorise":
                        sends.Add((op, service.PutAsync(Request(id, account, op.Amount))));
                        break;
                    case "card":
                        sends.Add((op, service.PutAsync(new Txn { Id = id, Amount = op.Amount, Account = account })));
                        break;
                    default: // PPS's own authorisation and its clearing, in either order
                        sends.Add((op, service.PutAsync(new Txn { Id = id, Amount = op.Amount, Account = account })));
                        sends.Add((op with { Kind = "clearing" }, service.PutAsync(new Txn { Id = id, Version = 2, Status = "COMPLETE", Amount = op.Amount, Account = account })));
                        break;
                }
            }

            long posted = 0, held = 0, approved = 0, credits = 0;
            var standIns = 0;
            foreach (var (op, send) in sends)
            {
                using var response = send.GetAwaiter().GetResult();
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), op.ToString());
                var body = TestService.JsonAsync(response).GetAwaiter().GetResult();
                switch (op.Kind)
                {
                    case "credit":
                        (posted, credits) = (posted + op.Amount, credits + op.Amount);
                        break;
                    case "authorise":
                        var result = body.GetProperty("txn_result");
                        standIns += result.GetProperty("result_detail").GetString() == "SYSTEM_ERROR" ? 1 : 0;
                        if (result.GetProperty("result").GetString() == "APPROVED")
                        {
                            approved += op.Amount;
                            held += op.Amount;
                        }

                        break;
                    case "card":
                        held += op.Amount;
                        break;
                    case "clearing":
                        posted -= op.Amount; // the clearing is the last version whichever came first: no hold left
                        break;
                }
            }

            var balances = BalancesAsync(service, account).GetAwaiter().GetResult();
            return (standIns == 0).Label($"{standIns} stand-ins")
                .And((balances == (posted, held)).Label($"ledger {balances}, oracle {(posted, held)} for [{string.Join(", ", ops.AsEnumerable())}]"))
                .And((approved <= credits).Label($"approved {approved} of credits {credits}"));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Provider.OneWriterAtATime ? 40 : 25).WithQuietOnSuccess(true), property);
    }
}
