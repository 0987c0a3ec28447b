using System.Net;
using System.Text;
using System.Text.Json;
using Orian.Security;
using Orian.Tests.Support;

namespace Orian.Tests.Api;

/// <summary>
/// <c>PUT /v2/transactions/{id}</c> and the operator API over real HTTP on 127.0.0.1, run against
/// each storage provider. Every test starts its own service on a fresh database and checks both the
/// answer and what was (or was not) stored.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class IngressApiContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    internal async Task<TestService> StartAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null) =>
        await (await CreateDatabaseAsync("api")).StartServiceAsync(services, settings);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Send(TestService service, Txn txn)
    {
        using var response = await service.PutAsync(txn);
        return (response.StatusCode, await TestService.JsonAsync(response));
    }

    [Test]
    public async Task PuttingANewVersionAnswersAppliedAndStoresIt()
    {
        await using var service = await StartAsync();
        var (status, body) = await Send(service, new Txn { Id = "N1", Amount = 250 });

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("id").GetString(), Is.EqualTo("N1"));
        Assert.That(body.GetProperty("version").GetInt64(), Is.EqualTo(1));
        Assert.That(body.GetProperty("outcome").GetString(), Is.EqualTo("applied"));

        var txn = (await service.GetJsonOrNullAsync("/v1/transactions/N1"))!.Value;
        Assert.That(txn.GetProperty("version").GetInt64(), Is.EqualTo(1));
        Assert.That(txn.GetProperty("txn_lifecycle_status").GetString(), Is.EqualTo("AUTHORISED"));
        Assert.That(txn.GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(txn.GetProperty("amount").GetProperty("amount").GetInt64(), Is.EqualTo(250));
        Assert.That(txn.GetProperty("versions").GetArrayLength(), Is.EqualTo(1));
        Assert.That(txn.GetProperty("versions")[0].GetProperty("outcome").GetString(), Is.EqualTo("applied"));
    }

    [Test]
    public async Task AccountShowsBalancesInMinorUnitsWithTheExponent()
    {
        await using var service = await StartAsync();
        await Send(service, new Txn { Id = "LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 10_000 });
        await Send(service, new Txn { Id = "BUY", Amount = 2_550 });

        var account = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(account.GetProperty("account_no").GetString(), Is.EqualTo("ACC-1"));
            Assert.That(account.GetProperty("currency").GetString(), Is.EqualTo("GBP"));
            Assert.That(account.GetProperty("exponent").GetInt32(), Is.EqualTo(2));
            Assert.That(account.GetProperty("posted").GetInt64(), Is.EqualTo(10_000));
            Assert.That(account.GetProperty("held").GetInt64(), Is.EqualTo(2_550));
            Assert.That(account.GetProperty("available").GetInt64(), Is.EqualTo(7_450));
            Assert.That(account.GetProperty("overdrawn").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task TheSameEventSentTwentyTimesInParallelIsAppliedExactlyOnce()
    {
        await using var service = await StartAsync();
        var txn = new Txn { Id = "PAR", Amount = 700 };
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Send(service, txn)));

        Assert.That(responses.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK));
        var outcomes = responses.Select(r => r.Body.GetProperty("outcome").GetString()).ToList();
        Assert.That(outcomes.Count(o => o == "applied"), Is.EqualTo(1));
        Assert.That(outcomes.Count(o => o == "duplicate"), Is.EqualTo(19));

        var account = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        Assert.That(account.GetProperty("held").GetInt64(), Is.EqualTo(700));
        var versions = (await service.GetJsonOrNullAsync("/v1/transactions/PAR"))!.Value.GetProperty("versions");
        Assert.That(versions.GetArrayLength(), Is.EqualTo(20));
    }

    [Test]
    public async Task OutOfOrderVersionsEndAtTheHighestVersion()
    {
        await using var service = await StartAsync();
        var complete = await Send(service, new Txn { Id = "OOO", Version = 2, Status = "COMPLETE", Amount = 400, ClearingAmount = 450 });
        var authorised = await Send(service, new Txn { Id = "OOO", Version = 1, Status = "AUTHORISED", Amount = 400 });

        Assert.That(complete.Body.GetProperty("outcome").GetString(), Is.EqualTo("applied"));
        Assert.That(authorised.Body.GetProperty("outcome").GetString(), Is.EqualTo("stale"));
        Assert.That(authorised.Body.GetProperty("current_version").GetInt64(), Is.EqualTo(2));
        var account = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        Assert.That(account.GetProperty("posted").GetInt64(), Is.EqualTo(-450));
        Assert.That(account.GetProperty("held").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task ADifferentPayloadForAnAppliedVersionIsAConflictAndChangesNothing()
    {
        await using var service = await StartAsync();
        await Send(service, new Txn { Id = "C1", Amount = 100 });
        var (status, body) = await Send(service, new Txn { Id = "C1", Amount = 500 });

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("outcome").GetString(), Is.EqualTo("conflict"));
        var account = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        Assert.That(account.GetProperty("held").GetInt64(), Is.EqualTo(100));
        var versions = (await service.GetJsonOrNullAsync("/v1/transactions/C1"))!.Value.GetProperty("versions");
        Assert.That(versions[1].GetProperty("outcome").GetString(), Is.EqualTo("conflict"));
    }

    [Test]
    public async Task AnUnknownStatusIsAcknowledgedFlaggedAndMovesNoMoney()
    {
        await using var service = await StartAsync();
        var (status, body) = await Send(service, new Txn { Id = "U1", Status = "SOMETHING_NEW" });

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("outcome").GetString(), Is.EqualTo("applied"));
        Assert.That(body.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "unknown_status" }));
        var txn = (await service.GetJsonOrNullAsync("/v1/transactions/U1"))!.Value;
        Assert.That(txn.GetProperty("txn_lifecycle_status").GetString(), Is.EqualTo("SOMETHING_NEW"));
        Assert.That(await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"), Is.Null);
    }

    [Test]
    public async Task UnknownFieldsAreIgnored()
    {
        await using var service = await StartAsync();
        var json = new Txn { Id = "F1" }.Json.Replace("\"version\":1", "\"version\":1,\"future_field\":{\"a\":[1,2,3]}", StringComparison.Ordinal);
        using var response = await service.PutRawAsync("F1", json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    public static IEnumerable<TestCaseData> BadRequests()
    {
        var good = new Txn { Id = "BAD" };
        yield return new TestCaseData("BAD", "{\"id\": \"BAD\", \"version\": ", "$").SetName("MalformedJsonIs400AndLeavesNoTrace");
        yield return new TestCaseData("BAD", "{\"version\":1,\"txn_lifecycle_status\":\"AUTHORISED\"}", "id").SetName("MissingIdIs400AndLeavesNoTrace");
        yield return new TestCaseData("BAD", "{\"id\":\"BAD\",\"txn_lifecycle_status\":\"AUTHORISED\"}", "version").SetName("MissingVersionIs400AndLeavesNoTrace");
        yield return new TestCaseData("BAD", "{\"id\":\"BAD\",\"version\":1}", "txn_lifecycle_status").SetName("MissingStatusIs400AndLeavesNoTrace");
        yield return new TestCaseData("OTHER", good.Json, "id").SetName("PathIdDifferentFromBodyIdIs400AndLeavesNoTrace");
        yield return new TestCaseData("BAD", good.Json.Replace("\"cardholder_final_amount\":{\"amount\":100,\"currency\":{\"code\":\"GBP\",\"exponent\":2}}", "\"cardholder_final_amount\":{\"amount\":100}", StringComparison.Ordinal),
            "authorisation.txn_amounts.cardholder_final_amount.currency").SetName("AmountWithoutCurrencyIs400AndLeavesNoTrace");
    }

    [TestCase("a/b")]
    [TestCase("a?b")]
    [TestCase("a#b")]
    [TestCase("a%b")]
    [TestCase("a%2Fb")]
    [TestCase("a+b")]
    [TestCase("x:y@z;w=1")]
    [TestCase("~!$&'()*,")]
    public async Task AnIdWithReservedCharactersIsAppliedWhenItsPathIsPercentEncoded(string id)
    {
        await using var service = await StartAsync();
        var (status, body) = await Send(service, new Txn { Id = id });

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("id").GetString(), Is.EqualTo(id));
        var txn = await service.GetJsonOrNullAsync($"/v1/transactions/{Uri.EscapeDataString(id)}");
        Assert.That(txn?.GetProperty("id").GetString(), Is.EqualTo(id), "read back by the same encoding");
    }

    [Test]
    public async Task AnIdHoldingASlashIsFoundReadAndLinkedThroughEveryOperatorPath()
    {
        await using var service = await StartAsync();
        var (status, _) = await Send(service, new Txn { Id = "T/1", Account = "A/1", Amount = 40 });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));

        var account = (await service.GetJsonOrNullAsync("/v1/accounts/A%2F1"))!.Value;
        Assert.That(account.GetProperty("account_no").GetString(), Is.EqualTo("A/1"));
        Assert.That(account.GetProperty("held").GetInt64(), Is.EqualTo(40));
        var journal = (await service.GetJsonOrNullAsync("/v1/accounts/A%2F1/journal"))!.Value;
        Assert.That(journal.GetProperty("entries").GetArrayLength(), Is.EqualTo(1));
        using (var controls = await service.Operator.PutAsync("/v1/accounts/A%2F1/controls", new StringContent("{\"status\":\"BLOCKED\"}", Encoding.UTF8, "application/json")))
        {
            Assert.That((await TestService.JsonAsync(controls)).GetProperty("account_no").GetString(), Is.EqualTo("A/1"));
        }

        using (var link = await service.Operator.PutAsync("/v1/instruction-links/T%2F1", new StringContent("{\"order_ref\":\"O-1\",\"instruction_ref\":\"I-1\"}", Encoding.UTF8, "application/json")))
        {
            Assert.That(link.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((await TestService.JsonAsync(link)).GetProperty("transaction_id").GetString(), Is.EqualTo("T/1"));
        }

        Assert.That(await service.GetJsonOrNullAsync("/v1/instruction-links/T%2F1"), Is.Not.Null);
        using (var reported = await service.Operator.DeleteAsync("/v1/instruction-links/T%2F1"))
        {
            Assert.That(reported.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "found, and it has reported to its instruction");
        }

        // A link that has reported nothing (no transaction yet) is deleted through the same path form.
        using (var early = await service.Operator.PutAsync("/v1/instruction-links/N%2F1", new StringContent("{\"order_ref\":\"O-2\",\"instruction_ref\":\"I-2\"}", Encoding.UTF8, "application/json")))
        {
            Assert.That(early.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using var deleted = await service.Operator.DeleteAsync("/v1/instruction-links/N%2F1");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [TestCase("a%2Fb", "a/c", "is 'a/b'; the 'id' in the body is 'a/c'")]
    [TestCase("a%252Fb", "a/b", "is 'a%2Fb'; the 'id' in the body is 'a/b'")]
    [TestCase("a%20b", "x", "The id in the path, percent-decoded, must be 1 to 64 characters of printable ASCII")]
    [TestCase("%C3%A9", "x", "The id in the path, percent-decoded, must be 1 to 64 characters of printable ASCII")]
    public async Task APathIdThatIsNotTheBodyIdSaysWhichRuleItBroke(string path, string bodyId, string says)
    {
        await using var service = await StartAsync();
        var json = new Txn { Id = "PLACEHOLDER" }.Json.Replace("\"PLACEHOLDER\"", System.Text.Json.JsonSerializer.Serialize(bodyId), StringComparison.Ordinal);
        using var response = await service.Pps.PutAsync($"/v2/transactions/{path}", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await TestService.JsonAsync(response);
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("id"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(says));
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task BadRequest(string pathId, string body, string field)
    {
        await using var service = await StartAsync();
        using var response = await service.PutRawAsync(pathId, body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await TestService.JsonAsync(response);
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(400));
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo(field));
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
        await AssertNoTraceAsync(service, "ACC-1", pathId, "BAD");
    }

    [Test]
    public async Task OversizedBodyIs413AndLeavesNoTrace()
    {
        await using var service = await StartAsync(settings: new() { ["Orian:Ingress:MaxBodyBytes"] = "2048" });
        var body = new Txn { Id = "BIG", Extra = new string('x', 4096) }.Json;
        using var response = await service.PutRawAsync("BIG", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        await AssertNoTraceAsync(service, "ACC-1", "BIG");
    }

    [Test]
    public async Task OversizedChunkedBodyWithoutContentLengthIs413()
    {
        await using var service = await StartAsync(settings: new() { ["Orian:Ingress:MaxBodyBytes"] = "2048" });
        var body = new Txn { Id = "BIGC", Extra = new string('x', 4096) }.Json;
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2/transactions/BIGC") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await service.Pps.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        await AssertNoTraceAsync(service, "ACC-1", "BIGC");
    }

    [TestCase(null, TestName = "MissingCredentialsAre401AndLeaveNoTrace")]
    [TestCase("pps:wrong-password", TestName = "WrongPasswordIs401AndLeavesNoTrace")]
    [TestCase("someone:pps-test-password", TestName = "WrongUserIs401AndLeavesNoTrace")]
    public async Task BadCredentials(string? credentials)
    {
        await using var service = await StartAsync();
        using var client = new HttpClient { BaseAddress = service.Address };
        if (credentials is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        using var response = await service.PutRawAsync("AUTH", new Txn { Id = "AUTH" }.Json, client);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        await AssertNoTraceAsync(service, "ACC-1", "AUTH");
    }

    [Test]
    public async Task NonJsonContentTypeIs415AndLeavesNoTrace()
    {
        await using var service = await StartAsync();
        using var content = new StringContent(new Txn { Id = "CT" }.Json, Encoding.UTF8, "text/plain");
        using var response = await service.Pps.PutAsync("/v2/transactions/CT", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That((await TestService.JsonAsync(response)).GetProperty("type").GetString(), Is.EqualTo("urn:orian:problem:unsupported-media-type"),
            "the endpoint's own problem, not routing's (the document's bodies must not make routing check the content type)");

        // Credentials are checked first: without them a wrong content type is a 401, as any request.
        using var anonymous = new StringContent(new Txn { Id = "CT" }.Json, Encoding.UTF8, "text/plain");
        using var unauthenticated = await service.Anonymous.PutAsync("/v2/transactions/CT", anonymous);
        Assert.That(unauthenticated.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await AssertNoTraceAsync(service, "ACC-1", "CT");
    }

    [Test]
    public async Task WithASigningSecretOnlyCorrectlySignedRecentBodiesAreAccepted()
    {
        var key = new byte[32];
        Random.Shared.NextBytes(key);
        var secret = StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(key);
        await using var service = await StartAsync(settings: new() { ["Orian:Ingress:SigningSecret"] = secret });

        async Task<HttpStatusCode> SendSigned(Txn txn, string? bodyOverride, DateTimeOffset signedAt, bool sign = true)
        {
            var body = txn.Json;
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/transactions/{txn.Id}")
            {
                Content = new StringContent(bodyOverride ?? body, Encoding.UTF8, "application/json"),
            };
            if (sign)
            {
                var id = "msg_" + Guid.NewGuid().ToString("N");
                var ts = signedAt.ToUnixTimeSeconds();
                request.Headers.Add("webhook-id", id);
                request.Headers.Add("webhook-timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("webhook-signature", IndependentSignature(key, id, ts, body));
            }

            using var response = await service.Pps.SendAsync(request);
            return response.StatusCode;
        }

        var now = DateTimeOffset.UtcNow;
        Assert.That(await SendSigned(new Txn { Id = "S1" }, null, now), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await SendSigned(new Txn { Id = "S2", Account = "REJ" }, null, now, sign: false), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await SendSigned(new Txn { Id = "S3", Account = "REJ" }, new Txn { Id = "S3", Account = "REJ", Amount = 1 }.Json, now), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await SendSigned(new Txn { Id = "S4", Account = "REJ" }, null, now.AddMinutes(-10)), Is.EqualTo(HttpStatusCode.Unauthorized));
        await AssertNoTraceAsync(service, "REJ", "S2", "S3", "S4");
    }

    /// <summary>The Standard Webhooks signature computed here, independently of the service's code.</summary>
    private static string IndependentSignature(byte[] key, string id, long timestamp, string body)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(key);
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    [Test]
    public async Task AFullPartitionAnswers503WithRetryAfterAndStoresNothing()
    {
        GatedLedgerStore? gate = null;
        await using var service = await StartAsync(
            services => services.AddSingleton<Orian.Ledger.ILedgerStore>(sp => gate = new GatedLedgerStore(sp.GetRequiredService<Orian.Storage.LedgerStore>())),
            new() { ["Orian:Pipeline:Partitions"] = "1", ["Orian:Pipeline:PartitionCapacity"] = "1", ["Orian:Pipeline:MaxBatchSize"] = "1", ["Orian:Pipeline:BatchLingerMs"] = "0" });

        var first = service.PutAsync(new Txn { Id = "Q1" });
        await service.Services.GetRequiredService<Orian.Ledger.ILedgerStore>().ConfigureAwaitGate(g => g.Entered);
        var second = service.PutAsync(new Txn { Id = "Q2" });
        var third = service.PutAsync(new Txn { Id = "Q3" });
        // Exactly one of the two fits in the partition; the other is refused at once.
        var refusedFirst = await Task.WhenAny(second, third);
        var rejected = await refusedFirst;
        var queued = refusedFirst == second ? third : second;

        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(rejected.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(rejected.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));

        gate!.Release();
        Assert.That((await first).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await queued).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var rejectedId = refusedFirst == second ? "Q2" : "Q3";
        Assert.That(await service.GetJsonOrNullAsync($"/v1/transactions/{rejectedId}"), Is.Null);
    }

    [Test]
    public async Task OperatorApiRequiresTheApiKey()
    {
        await using var service = await StartAsync();
        await Send(service, new Txn { Id = "K1" });
        using var none = await service.Anonymous.GetAsync("/v1/transactions/K1");
        using var wrongClient = new HttpClient { BaseAddress = service.Address };
        wrongClient.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key-at-all");
        using var wrong = await wrongClient.GetAsync("/v1/accounts/ACC-1");
        using var right = await service.Operator.GetAsync("/v1/transactions/K1");

        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(none.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UnknownAccountsAndTransactionsAre404Problems()
    {
        await using var service = await StartAsync();
        using var account = await service.Operator.GetAsync("/v1/accounts/NOPE");
        using var txn = await service.Operator.GetAsync("/v1/transactions/NOPE");
        Assert.That(account.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(txn.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(account.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task JournalIsPagedAndValidatesItsLimit()
    {
        await using var service = await StartAsync();
        for (var i = 1; i <= 3; i++)
        {
            await Send(service, new Txn { Id = $"J{i}", Amount = i * 10 });
        }

        var page1 = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1/journal?limit=2"))!.Value;
        var next = page1.GetProperty("next_after").GetInt64();
        var page2 = (await service.GetJsonOrNullAsync($"/v1/accounts/ACC-1/journal?limit=2&after={next}"))!.Value;
        var amounts = page1.GetProperty("entries").EnumerateArray().Concat(page2.GetProperty("entries").EnumerateArray())
            .Select(e => e.GetProperty("amount").GetInt64());
        Assert.That(amounts, Is.EqualTo(new long[] { 10, 20, 30 }));
        Assert.That(page2.GetProperty("next_after").ValueKind, Is.EqualTo(JsonValueKind.Null));

        using var bad = await service.Operator.GetAsync("/v1/accounts/ACC-1/journal?limit=0");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestService.JsonAsync(bad)).GetProperty("field").GetString(), Is.EqualTo("limit"));
    }

    [TestCase("Testing")]
    [TestCase("Development")]
    public async Task AQueryValueThatCannotBeBoundIsA400Problem(string environment)
    {
        await using var service = await StartAsync(settings: new() { ["__environment"] = environment });
        foreach (var path in new[] { "/v1/accounts/ACC-1/journal?limit=abc", "/v1/deliveries?after=x", "/v1/accounts/ACC-1/decisions?limit=1.5" })
        {
            using var response = await service.Operator.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), path);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), path);
        }
    }

    [Test]
    public async Task HealthEndpointsReportLiveAndReady()
    {
        await using var service = await StartAsync();
        using var live = await service.Anonymous.GetAsync("/health/live");
        using var ready = await service.Anonymous.GetAsync("/health/ready");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await live.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"), "liveness stays the trivial answer");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var body = await TestService.JsonAsync(ready);
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        var database = body.GetProperty("checks").GetProperty("database");
        Assert.That(database.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(database.GetProperty("description").GetString(), Does.Match(@"^schema (\d+)/\1$"), "the schema applied is the one expected");
        Assert.That(database.GetProperty("duration_ms").GetDouble(), Is.GreaterThanOrEqualTo(0));
        Assert.That(database.GetProperty("error").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    private static async Task AssertNoTraceAsync(TestService service, string account, params string[] ids)
    {
        foreach (var id in ids)
        {
            Assert.That(await service.GetJsonOrNullAsync($"/v1/transactions/{id}"), Is.Null, $"transaction {id} must not be stored");
        }

        Assert.That(await service.GetJsonOrNullAsync($"/v1/accounts/{account}"), Is.Null, "no account may be opened by a rejected request");
    }
}

internal static class GateExtensions
{
    public static Task ConfigureAwaitGate(this Orian.Ledger.ILedgerStore store, Func<GatedLedgerStore, Task> select) =>
        select((GatedLedgerStore)store);
}
