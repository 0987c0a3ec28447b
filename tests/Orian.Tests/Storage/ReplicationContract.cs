using System.Collections.Concurrent;
using System.Net;
using Dapper;
using Npgsql;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>
/// Orian on a PostgreSQL primary with two standbys and a synchronous quorum of one, through one
/// multi-host connection string, as in production: the primary's processes all killed mid-stream and
/// the most advanced standby promoted, and every standby stopped and started again. PPS is sixteen senders that re-send every event until it
/// is answered 200; afterwards every acknowledged version must be on the database that survived, and
/// the balances must be an oracle's.
/// </summary>
[NonParallelizable]
public sealed class ReplicationContract
{
    private const int Accounts = 8;

    /// <summary>Event <paramref name="n"/>: a credit, a card purchase (a posting) or an authorisation (a hold).</summary>
    private static Txn Event(int n) => (n % 5) switch
    {
        0 => new Txn { Id = $"R-{n}", Account = $"RA-{n % Accounts}", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 + n },
        1 => new Txn { Id = $"R-{n}", Account = $"RA-{n % Accounts}", Status = "AUTHORISED", Amount = 10 + (n % 7) },
        _ => new Txn { Id = $"R-{n}", Account = $"RA-{n % Accounts}", Status = "COMPLETE", Amount = 20 + (n % 11) },
    };

    private static Dictionary<string, string?> Settings(ReplicatedPostgres cluster, int commitTimeoutMs = 2000) => new()
    {
        ["Orian:Storage:Provider"] = "postgres",
        ["Orian:Storage:ConnectionString"] = cluster.ConnectionString,
        ["Orian:Ingress:CommitTimeoutMs"] = commitTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Sends every event until it is answered 200, as PPS does; returns the answers that were
    /// not 200 (by status) and calls <paramref name="progress"/> after each acknowledgement.</summary>
    private static async Task<ConcurrentDictionary<int, int>> SendAllAsync(TestService service, int events, int senders, Action<int> progress)
    {
        var queue = new ConcurrentQueue<int>(Enumerable.Range(0, events));
        var guard = System.Diagnostics.Stopwatch.StartNew(); // turns a hang into a failure; asserts no speed
        var refused = new ConcurrentDictionary<int, int>();
        var acknowledged = 0;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
        {
            while (queue.TryDequeue(out var n))
            {
                while (true)
                {
                    int status;
                    try
                    {
                        using var response = await service.PutAsync(Event(n));
                        status = (int)response.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        status = 0;
                    }

                    if (status == 200)
                    {
                        progress(Interlocked.Increment(ref acknowledged));
                        break;
                    }

                    refused.AddOrUpdate(status, 1, (_, c) => c + 1);
                    if (guard.Elapsed > Until.Guard)
                    {
                        Assert.Fail($"event {n} still not acknowledged after {Until.Guard.TotalSeconds:0} s; answers so far: {string.Join(", ", refused.Select(r => $"{r.Value} × {r.Key}"))}");
                    }

                    Assert.That(status, Is.AnyOf(503, 429), "a failure a retry can cure is a 503 or 429, nothing else");
                    await Task.Delay(20); // PPS's own pause before a re-send
                }
            }
        }));
        return refused;
    }

    /// <summary>What the surviving database holds agrees with every event having been applied once.</summary>
    private static async Task AssertLedgerAsync(string connectionString, int events)
    {
        await using var db = new NpgsqlConnection(connectionString);
        var versions = (await db.QueryAsync<string>("SELECT id FROM transactions WHERE version = 1")).ToHashSet(StringComparer.Ordinal);
        var missing = Enumerable.Range(0, events).Select(n => $"R-{n}").Where(id => !versions.Contains(id)).ToList();
        Assert.That(missing, Is.Empty, "every acknowledged version is on the database that survived");

        var posted = new long[Accounts];
        var held = new long[Accounts];
        for (var n = 0; n < events; n++)
        {
            var e = Event(n);
            switch (n % 5)
            {
                case 0: posted[n % Accounts] += e.Amount; break;
                case 1: held[n % Accounts] += e.Amount; break;
                default: posted[n % Accounts] -= e.Amount; break;
            }
        }

        var accounts = (await db.QueryAsync<(string AccountNo, long Posted, long Held)>("SELECT account_no, posted, held FROM accounts")).ToDictionary(a => a.AccountNo);
        for (var a = 0; a < Math.Min(Accounts, events); a++)
        {
            Assert.That((accounts[$"RA-{a}"].Posted, accounts[$"RA-{a}"].Held), Is.EqualTo((posted[a], held[a])), $"RA-{a} against the oracle");
        }

        Assert.That(accounts.Values.Select(a => a.Held), Has.All.GreaterThanOrEqualTo(0));
        var perCurrency = (await db.QueryAsync<long>("SELECT sum(amount)::bigint FROM journal WHERE kind = 'posting' GROUP BY currency")).ToList();
        Assert.That(perCurrency, Is.Not.Empty.And.All.EqualTo(0L), "postings (each with its counter line) sum to zero per currency");
        var journal = (await db.QueryAsync<(string AccountNo, string Kind, long Sum)>(
            "SELECT account_no, kind, sum(amount)::bigint FROM journal GROUP BY account_no, kind")).ToList();
        foreach (var (accountNo, (_, p, h)) in accounts.Select(a => (a.Key, a.Value)))
        {
            Assert.That(journal.Where(j => j.AccountNo == accountNo && j.Kind == "posting").Sum(j => j.Sum), Is.EqualTo(p), $"{accountNo}: postings sum to the balance");
            Assert.That(journal.Where(j => j.AccountNo == accountNo && j.Kind == "hold").Sum(j => j.Sum), Is.EqualTo(h), $"{accountNo}: holds sum to what is held");
        }
    }

    [Test]
    public async Task ThePrimaryKilledMidStreamAndTheStandbyPromotedLosesNothingAcknowledged()
    {
        const int Events = 900;
        await using var cluster = await ReplicatedPostgres.StartAsync();
        await using var service = await TestService.StartAsync(Settings(cluster));
        var before = (await service.GetJsonOrNullAsync("/v1/status"))!.Value.GetProperty("database");
        Assert.That(before.GetProperty("host").GetString(), Is.EqualTo($"127.0.0.1:{cluster.Port(0)}"));
        var failedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long promotedAt = -1, firstAfter = -1;
        var failover = Task.Run(async () =>
        {
            await failedOver.Task;
            cluster.Kill(0);
            var node = await cluster.FailoverAsync();
            Interlocked.Exchange(ref promotedAt, clock.ElapsedMilliseconds);
            return node;
        });

        var refused = await SendAllAsync(service, Events, senders: 16, acknowledged =>
        {
            if (acknowledged == Events / 3)
            {
                failedOver.TrySetResult();
            }
            else if (Interlocked.Read(ref promotedAt) >= 0)
            {
                Interlocked.CompareExchange(ref firstAfter, clock.ElapsedMilliseconds, -1);
            }
        });
        var primary = await failover;

        // The same process, never restarted, wrote the rest to the promoted standby.
        await AssertLedgerAsync(cluster.Only(primary), Events);
        // The operators see where writes go now, and since when.
        var after = (await service.GetJsonOrNullAsync("/v1/status"))!.Value.GetProperty("database");
        Assert.That(after.GetProperty("host").GetString(), Is.EqualTo($"127.0.0.1:{cluster.Port(primary)}"));
        Assert.That(after.GetProperty("host_since").GetDateTimeOffset(), Is.GreaterThan(before.GetProperty("host_since").GetDateTimeOffset()));
        // A measurement, not an assertion (speed belongs in benchmarks/README.md).
        TestContext.Out.WriteLine($"first acknowledgement {firstAfter - promotedAt} ms after the promotion returned; "
            + $"not acknowledged on the way: {string.Join(", ", refused.Select(r => $"{r.Value} × {r.Key}"))}");
    }

    /// <summary>
    /// Operator reads on a standby (<c>Orian:Storage:OperatorReadConnectionString</c>, prefer-standby): with
    /// both standbys' replay paused, an event is still acknowledged (they confirm the commit), the primary
    /// holds it, and the operator API does not show it yet; once replay resumes, it does. Read from the
    /// primary, the same account would show the event at once, so this fails without the setting.
    /// </summary>
    [Test]
    public async Task OperatorReadsNamedForAStandbyAreServedThereAndTrailByItsReplay()
    {
        await using var cluster = await ReplicatedPostgres.StartAsync();
        var settings = Settings(cluster);
        settings["Orian:Storage:OperatorReadConnectionString"] = cluster.PreferStandby;
        await using var service = await TestService.StartAsync(settings);
        async Task<long?> PostedAsync() => (await service.GetJsonOrNullAsync("/v1/accounts/RS-1"))?.GetProperty("posted").GetInt64();

        using (var first = await service.PutAsync(new Txn { Id = "RS-A", Account = "RS-1", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 }))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Until.TrueAsync(async () => await PostedAsync() == 1_000, "the standbys replayed the first event");
        await cluster.ReplayAsync(1, paused: true);
        await cluster.ReplayAsync(2, paused: true);
        try
        {
            using (var second = await service.PutAsync(new Txn { Id = "RS-B", Account = "RS-1", Direction = "CREDIT", Status = "COMPLETE", Amount = 500 }))
            {
                Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a standby that does not replay still confirms the commit");
            }

            await using (var primary = new NpgsqlConnection(cluster.Only(0)))
            {
                Assert.That(await primary.QuerySingleAsync<long>("SELECT posted FROM accounts WHERE account_no = 'RS-1'"), Is.EqualTo(1_500));
            }

            Assert.That(await PostedAsync(), Is.EqualTo(1_000), "the operator read came from a standby, which has not replayed the second event");
            Assert.That(await service.GetJsonOrNullAsync("/v1/transactions/RS-B"), Is.Null, "nor does it know the transaction yet");
        }
        finally
        {
            await cluster.ReplayAsync(1, paused: false);
            await cluster.ReplayAsync(2, paused: false);
        }

        await Until.TrueAsync(async () => await PostedAsync() == 1_500, "the standbys replayed the second event");
    }

    /// <summary>
    /// Decisions across the same failover: a decision is answered only after its own commit and its
    /// confirmation, both confirmed by a standby. So every approval a request heard is on the promoted
    /// standby, confirmed, with its hold; and every stand-in heard leaves no hold once the reconciler
    /// (from the database alone) has run.
    /// </summary>
    [Test]
    public async Task EveryApprovalHeardAcrossAFailoverIsConfirmedOnThePromotedStandbyAndNoStandInLeavesAHold()
    {
        const int Requests = 120;
        await using var cluster = await ReplicatedPostgres.StartAsync();
        var settings = Settings(cluster);
        settings["Orian:Authorisation:ConfirmGraceMs"] = "0";
        settings["Orian:Authorisation:ReconcileIntervalMs"] = "1000";
        await using var service = await TestService.StartAsync(settings);
        using (var funded = await service.PutAsync(new Txn { Id = "FUND", Account = "RD-1", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000_000 }))
        {
            Assert.That(funded.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var heard = new ConcurrentDictionary<string, (string Result, long Amount)>();
        var queue = new ConcurrentQueue<int>(Enumerable.Range(0, Requests));
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failover = Task.Run(async () =>
        {
            await killed.Task;
            cluster.Kill(0);
            return await cluster.FailoverAsync();
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (queue.TryDequeue(out var n))
            {
                var txn = new Txn { Id = $"D-{n}", Account = "RD-1", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 100 + n };
                using var response = await service.PutAsync(txn);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an authorisation is always answered with a decision");
                var answer = (await TestService.JsonAsync(response)).GetProperty("txn_result");
                heard[txn.Id] = (answer.GetProperty("result").GetString()!, txn.Amount);
                if (heard.Count == Requests / 3)
                {
                    killed.TrySetResult();
                }
            }
        }));
        var primary = await failover;

        var approved = heard.Where(h => h.Value.Result == "APPROVED").ToDictionary(h => h.Key, h => h.Value.Amount);
        var standIns = heard.Keys.Except(approved.Keys).ToList();
        Assert.That(approved, Is.Not.Empty);
        await using var db = new NpgsqlConnection(cluster.Only(primary));
        // The reconciler revokes what the failover left unconfirmed (its scan needs no hand-over), and
        // what it confirmed without learning so (a hand-over it keeps until the database is back).
        await Until.TrueAsync(async () => await db.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM authorisation_decisions WHERE confirmed_at IS NULL AND NOT revoked") == 0
            && await db.ExecuteScalarAsync<long>("SELECT held FROM accounts WHERE account_no = 'RD-1'") == approved.Values.Sum(),
            "every decision that was not the answer revoked");
        var decisions = (await db.QueryAsync<(string Id, bool Revoked, long Hold)>(
            "SELECT transaction_id, revoked, hold_amount FROM authorisation_decisions")).ToDictionary(d => d.Id);
        Assert.Multiple(() =>
        {
            foreach (var (id, amount) in approved)
            {
                Assert.That(decisions.TryGetValue(id, out var d) && !d.Revoked && d.Hold == amount, Is.True, $"{id} was approved: its hold is on the survivor");
            }

            foreach (var id in standIns)
            {
                Assert.That(!decisions.TryGetValue(id, out var d) || d.Hold == 0, Is.True, $"{id} heard the stand-in: no hold");
            }
        });
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT held FROM accounts WHERE account_no = 'RD-1'"), Is.EqualTo(approved.Values.Sum()),
            "the account holds exactly what was approved");
        TestContext.Out.WriteLine($"{approved.Count} approved, {standIns.Count} stand-ins across the failover");
    }

    [Test]
    public async Task WhileNoStandbyConfirmsNothingIsAcknowledgedAndAllResumesWhenTheyReturn()
    {
        await using var cluster = await ReplicatedPostgres.StartAsync();
        await using var service = await TestService.StartAsync(Settings(cluster));
        using (var before = await service.PutAsync(Event(0)))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        cluster.Stop(1);
        cluster.Stop(2);
        var during = new List<HttpStatusCode>();
        foreach (var n in new[] { 1, 2, 0 }) // two new versions, and a re-send of one acknowledged before
        {
            using var response = await service.PutAsync(Event(n));
            during.Add(response.StatusCode);
            Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null, "a 503 says when to retry");
        }

        Assert.That(during, Has.All.EqualTo(HttpStatusCode.ServiceUnavailable), "no 200 while no standby confirms a commit, not even for a re-send");

        cluster.Start(1);
        cluster.Start(2);
        await cluster.WaitForStandbysAsync(primary: 0, count: 2);
        var refused = await SendAllAsync(service, 3, senders: 1, _ => { });
        await AssertLedgerAsync(cluster.Only(0), 3);
        TestContext.Out.WriteLine($"after the standby came back: {string.Join(", ", refused.Select(r => $"{r.Value} × {r.Key}"))}");
    }

    /// <summary>
    /// The hole a synchronous standby leaves open: a COMMIT waiting for the standby that is cancelled
    /// (here by an operator's pg_cancel_backend, as a statement timeout would) returns success with only
    /// a warning, committed on the primary alone. Orian must not take it for a commit: the request is
    /// not acknowledged, nor is its re-send, and after the primary is lost and a standby (which never
    /// had it) promoted, the version is applied there and only then acknowledged.
    /// </summary>
    [Test]
    public async Task ACommitWhoseWaitForAStandbyWasCancelledIsNoAcknowledgement()
    {
        await using var cluster = await ReplicatedPostgres.StartAsync();
        await using var service = await TestService.StartAsync(Settings(cluster, commitTimeoutMs: 4000));
        using (var before = await service.PutAsync(Event(0)))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        cluster.Stop(1);
        cluster.Stop(2);
        var first = service.PutAsync(Event(1)); // its batch's COMMIT now waits for a standby
        await Until.TrueAsync(async () =>
        {
            await using var primary = new NpgsqlConnection(cluster.Only(0));
            // OFFSET 0 keeps the filter apart from the cancel, which must reach the waiting commit only.
            return await primary.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM (SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep' OFFSET 0) w WHERE pg_cancel_backend(w.pid)") > 0;
        }, "a COMMIT waiting for a standby, cancelled");

        using (var answer = await first)
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "committed on the primary alone is not committed");
        }

        using (var resent = await service.PutAsync(Event(1)))
        {
            Assert.That(resent.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "nor is the re-send acknowledged from the primary's copy");
        }

        // The primary is lost with the only copy; the standbys come back and one is promoted.
        cluster.Kill(0);
        cluster.Start(1);
        cluster.Start(2);
        var promoted = await cluster.FailoverAsync();
        await using (var db = new NpgsqlConnection(cluster.Only(promoted)))
        {
            Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM transactions WHERE id = 'R-1'"), Is.Zero,
                "the promoted standby never had it: had it been acknowledged, it would be lost");
        }

        await SendAllAsync(service, 2, senders: 1, _ => { });
        await AssertLedgerAsync(cluster.Only(promoted), 2);
    }
}
