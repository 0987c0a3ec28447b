using System.Net;
using Orian.Tests.Support;

namespace Orian.Tests.Api;

/// <summary>What only a database server can show: an outage of the server, and two service
/// instances sharing one ledger.</summary>
public sealed class PostgresOnlyIngressTests : ProviderFixture<Postgres>
{
    private string _database = "";

    private async Task<TestService> StartAsync()
    {
        var database = await CreateDatabaseAsync("outage");
        _database = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        return await database.StartServiceAsync();
    }

    [Test]
    public async Task ADatabaseOutageAnswers503AndNothingIsAcknowledgedUntilItIsBack()
    {
        await using var service = await StartAsync();
        using (var before = await service.PutAsync(new Txn { Id = "O1" }))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // A real outage: the database stops accepting connections and every session is cut.
        await PostgresServer.ExecuteAsAdminAsync($"ALTER DATABASE \"{_database}\" ALLOW_CONNECTIONS false");
        await PostgresServer.ExecuteAsAdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database}'");
        try
        {
            using var during = await service.PutAsync(new Txn { Id = "O2" });
            Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(during.Headers.RetryAfter?.Delta, Is.Not.Null);
            Assert.That(during.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));

            using var ready = await service.Anonymous.GetAsync("/health/ready");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            var health = await TestService.JsonAsync(ready);
            Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            var database = health.GetProperty("checks").GetProperty("database");
            Assert.That(database.GetProperty("description").GetString(), Is.EqualTo("database unreachable"));
            Assert.That(database.GetProperty("error").GetString(), Is.Not.Null.And.Not.Empty, "the type of what the check met");
            Assert.That(health.ToString(), Does.Not.Contain("Host=").And.Not.Contain(_database), "no connection detail in the answer");

            using var read = await service.Operator.GetAsync("/v1/accounts/ACC-1");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));

            // The cardholder at the till still gets an answer: the stand-in, with nothing stored.
            using var authorisation = await service.PutAsync(new Txn { Id = "O3", Status = "AUTHORISATION_REQUESTED", Result = null });
            Assert.That(authorisation.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var result = (await TestService.JsonAsync(authorisation)).GetProperty("txn_result");
            Assert.That(result.GetProperty("result").GetString(), Is.EqualTo("DECLINED"));
            Assert.That(result.GetProperty("result_detail").GetString(), Is.EqualTo("SYSTEM_ERROR"));
        }
        finally
        {
            await PostgresServer.ExecuteAsAdminAsync($"ALTER DATABASE \"{_database}\" ALLOW_CONNECTIONS true");
        }

        // The refused event was never stored: resent after the outage, it is applied, not a duplicate.
        using var after = await service.PutAsync(new Txn { Id = "O2" });
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await TestService.JsonAsync(after)).GetProperty("outcome").GetString(), Is.EqualTo("applied"));
        Assert.That(await service.GetJsonOrNullAsync("/v1/transactions/O3"), Is.Null, "the stand-in stored nothing");
    }

    [Test]
    public async Task TwoInstancesOnOneDatabaseApplyEachVersionExactlyOnce()
    {
        var database = await CreateDatabaseAsync("pair");
        await using var a = await database.StartServiceAsync();
        await using var b = await database.StartServiceAsync();

        // The same versions, in different orders and with duplicates, through both instances at once.
        var versions = new[]
        {
            new Txn { Id = "LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 5_000 },
            new Txn { Id = "P1", Version = 1, Status = "AUTHORISED", Amount = 1_000 },
            new Txn { Id = "P1", Version = 2, Status = "COMPLETE", Amount = 1_000, ClearingAmount = 1_100 },
            new Txn { Id = "P2", Version = 1, Status = "AUTHORISED", Amount = 300 },
            new Txn { Id = "P3", Version = 1, Status = "AUTHORISED", Amount = 700 },
            new Txn { Id = "P3", Version = 2, Status = "CANCELLED", Amount = 700 },
        };
        var sends = new List<Task<HttpResponseMessage>>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var v in round % 2 == 0 ? versions : versions.Reverse())
            {
                sends.Add(a.PutAsync(v));
                sends.Add(b.PutAsync(v));
            }
        }

        var responses = await Task.WhenAll(sends);
        var outcomes = new List<string?>();
        foreach (var response in responses)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            outcomes.Add((await TestService.JsonAsync(response)).GetProperty("outcome").GetString());
            response.Dispose();
        }

        // Six distinct versions: at most six can be applied (a lower version arriving first and
        // then superseded is applied too, so "applied" counts are between 4 and 6, never more).
        Assert.That(outcomes.Count(o => o == "applied"), Is.InRange(4, 6));
        Assert.That(outcomes, Has.None.EqualTo("conflict"));
        var account = (await a.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        Assert.That(account.GetProperty("posted").GetInt64(), Is.EqualTo(5_000 - 1_100));
        Assert.That(account.GetProperty("held").GetInt64(), Is.EqualTo(300));
        foreach (var id in new[] { "LOAD", "P1", "P2", "P3" })
        {
            var txn = (await b.GetJsonOrNullAsync($"/v1/transactions/{id}"))!.Value;
            var received = txn.GetProperty("versions").EnumerateArray()
                .Select(v => (Version: v.GetProperty("version").GetInt64(), Outcome: v.GetProperty("outcome").GetString()))
                .ToList();
            Assert.That(received, Has.Count.EqualTo(id is "P1" or "P3" ? 20 : 10), id);
            var highest = received.Max(v => v.Version);
            Assert.That(received.Count(v => v.Version == highest && v.Outcome == "applied"), Is.EqualTo(1), $"{id}: highest version applied once");
            Assert.That(received.GroupBy(v => v.Version).Select(g => g.Count(v => v.Outcome == "applied")), Has.All.LessThanOrEqualTo(1), $"{id}: no version applied twice");
        }
    }

    [Test]
    public async Task TwoInstancesDecidingOnOneAccountNeverApproveMoreThanItHolds()
    {
        // The deadline is out of the way: what is under test is the count, not the clock.
        var settings = new Dictionary<string, string?> { ["Orian:Authorisation:DeadlineMs"] = "30000" };
        var database = await CreateDatabaseAsync("decide-pair");
        await using var a = await database.StartServiceAsync(settings: settings);
        await using var b = await database.StartServiceAsync(settings: settings);
        using (var load = await a.PutAsync(new Txn { Id = "DP-LOAD-1", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 }))
        {
            Assert.That(load.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Sixty requests of 100 through both instances at once, with a second load of 500 and
        // notifications for other transactions of the same account arriving among them.
        var sends = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < 60; i++)
        {
            var instance = i % 2 == 0 ? a : b;
            sends.Add(instance.PutAsync(new Txn { Id = $"DP-{i}", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 100 }));
            if (i == 30)
            {
                sends.Add(b.PutAsync(new Txn { Id = "DP-LOAD-2", Direction = "CREDIT", Status = "COMPLETE", Amount = 500 }));
            }

            if (i % 10 == 5)
            {
                sends.Add(a.PutAsync(new Txn { Id = $"DP-NOTE-{i}", Financial = false, Amount = 100 }));
            }
        }

        var approved = 0;
        foreach (var response in await Task.WhenAll(sends))
        {
            using (response)
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                var body = await TestService.JsonAsync(response);
                if (body.TryGetProperty("txn_result", out var result))
                {
                    var detail = result.GetProperty("result_detail").GetString();
                    Assert.That(detail, Is.AnyOf("SUCCESSFUL", "INSUFFICIENT_FUNDS"), "no stand-in");
                    approved += result.GetProperty("result").GetString() == "APPROVED" ? 1 : 0;
                }
            }
        }

        var account = (await a.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        var (posted, held) = (account.GetProperty("posted").GetInt64(), account.GetProperty("held").GetInt64());
        Assert.That(posted, Is.EqualTo(1_500));
        Assert.That(held, Is.EqualTo(100L * approved), "every approval holds its amount, once");
        Assert.That(held, Is.LessThanOrEqualTo(posted), "never more approved than the account holds");
        Assert.That(approved, Is.InRange(10, 15), "the first load covers ten; the second, once in, five more");
    }

    [Test]
    public async Task AKeyRevokedOnOneInstanceIsRefusedAtOnceByTheOther()
    {
        var database = await CreateDatabaseAsync("revoke");
        await using var a = await database.StartServiceAsync();
        await using var b = await database.StartServiceAsync();
        using var created = await a.Operator.PostAsync("/v1/api-keys",
            new StringContent("""{"name":"shared","roles":["orian-account-read"]}""", System.Text.Encoding.UTF8, "application/json"));
        var key = await TestService.JsonAsync(created);
        using var viaB = new HttpClient { BaseAddress = b.Address };
        viaB.DefaultRequestHeaders.Add("X-Api-Key", key.GetProperty("private_key").GetString());
        using (var before = await viaB.GetAsync("/v1/accounts/ACC-1"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "accepted by B (no such account yet)");
        }

        using (var revoke = await a.Operator.DeleteAsync($"/v1/api-keys/{key.GetProperty("id").GetString()}"))
        {
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var after = await viaB.GetAsync("/v1/accounts/ACC-1");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task InstancesSharingADatabaseShareTheKeyRing()
    {
        var database = await CreateDatabaseAsync("keyring");
        await using var a = await database.StartServiceAsync();
        using var created = await a.Operator.PostAsync("/v1/api-keys",
            new StringContent("""{"name":"pair","roles":["orian-account-read"]}""", System.Text.Encoding.UTF8, "application/json"));
        var key = await TestService.JsonAsync(created);
        await a.DisposeAsync();

        // Another instance (another process's key ring cache) decrypts the private key A encrypted:
        // the HMAC exchange needs it.
        await using var b = await database.StartServiceAsync();
        var publicKey = key.GetProperty("public_key").GetString()!;
        var nonce = Guid.NewGuid().ToString("D");
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Orian.Orchestrator.OrchestratorHmac.Header(Convert.FromBase64String(key.GetProperty("private_key").GetString()!), publicKey, nonce, epoch, []);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/identity/hmac") { Content = new ByteArrayContent([]) };
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var exchanged = await b.Anonymous.SendAsync(request);
        Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }
}
