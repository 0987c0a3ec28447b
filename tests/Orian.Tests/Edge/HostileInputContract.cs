using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Orian.Security;
using Orian.Tests.Support;

namespace Orian.Tests.Edge;

/// <summary>
/// Hostile input and faults at the edge, over real HTTP on 127.0.0.1, on each storage provider:
/// whatever a client sends, the answer is never a 5xx, a 4xx stores nothing, and every account the
/// run touched still applies a normal event afterwards. Then one regression test per finding.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class HostileInputContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    /// <summary>Cases per fuzz property: 400 by default; <c>ORIAN_FUZZ_CASES</c> runs more.</summary>
    private static int Cases(int normal) =>
        int.TryParse(Environment.GetEnvironmentVariable("ORIAN_FUZZ_CASES"), out var n) && n > 0 ? n : normal;

    private static readonly string[] IngressStrings = ["id", "txn_lifecycle_status", "account_no", "result", "masked_pan", "scheme_id", "category_auth", "code", "direction", "name", "extra_note", "result_message"];
    private static readonly string[] IngressNumbers = ["amount", "version", "exponent"];
    private static readonly string[] Statuses = ["AUTHORISED", "COMPLETE", "CANCELLED", "AUTHORISATION_REQUESTED", "EXPIRED"];

    private sealed record IngressCase(Txn Txn, List<HostileInput.Mutation> Mutations, string ContentType, string? PathId)
    {
        public override string ToString() => $"{Txn.Id} {Txn.Status} {Txn.Direction} path={PathId ?? "(body id)"} type='{ContentType}' [{string.Join("; ", Mutations)}]";
    }

    private static readonly Gen<IngressCase> IngressCases =
        from n in Gen.Choose(1, 1_000_000)
        from account in Gen.Elements("FZ-1", "FZ-2", "FZ-3")
        from status in Gen.Elements(Statuses)
        from direction in Gen.Elements("DEBIT", "CREDIT")
        from amount in Gen.Choose(1, 10_000)
        from mutations in HostileInput.Mutations(IngressStrings, IngressNumbers)
        from contentType in Gen.Elements(HostileInput.ContentTypes)
        from pathId in HostileInput.PathIds()
        select new IngressCase(
            new Txn { Id = $"FZ{n}", Account = account, Status = status, Direction = direction, Amount = amount, Result = status == "AUTHORISATION_REQUESTED" ? null : "APPROVED", Extra = "note" },
            mutations, contentType, pathId);

    [Test]
    public async Task NoIngressBodyGetsA5xxA4xxStoresNothingAndEveryAccountStillApplies()
    {
        var database = await CreateDatabaseAsync();
        var logs = new CapturedLogs();
        await using var service = await database.StartServiceAsync(logs.AddTo);
        var acknowledged = 0;
        var property = Prop.ForAll(IngressCases.ToArbitrary(), c =>
        {
            var body = HostileInput.ApplyAll(c.Txn.Json, c.Mutations);
            var (status, contentType) = SendAsync(service, c.PathId ?? Uri.EscapeDataString(c.Txn.Id), body, c.ContentType).GetAwaiter().GetResult();
            if (status == HttpStatusCode.OK)
            {
                acknowledged++;
            }

            // Kestrel itself refuses a request target it cannot decode (a NUL, say) with a bare 400
            // before any of the service runs; every other refusal is the service's problem body.
            return ((int)status < 500).Label($"answered {(int)status}; last error logged: {logs.Lines.LastOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal)) ?? "none"}")
                .And((status == HttpStatusCode.OK || contentType == "application/problem+json" || (status == HttpStatusCode.BadRequest && contentType is null))
                    .Label($"{(int)status}: a refusal is a problem body ({contentType})"));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases(400)).WithQuietOnSuccess(true), property);

        // A 4xx stored nothing: every stored receipt is one of the acknowledged requests.
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions"), Is.EqualTo(acknowledged));
        await AssertEveryAccountStillAppliesAsync(service, database);
    }

    private sealed record OperatorCase(string Method, string Path, string Json, List<HostileInput.Mutation> Mutations, string ContentType)
    {
        public override string ToString() => $"{Method} {Path} type='{ContentType}' [{string.Join("; ", Mutations)}]";
    }

    private static readonly Gen<OperatorCase> OperatorCases =
        from which in Gen.Choose(0, 6)
        from path in Gen.Frequency((5, Gen.Constant("OP-1")), (1, Gen.Elements("%00", "x%0Ay", "%ED%A0%80", new string('q', 100), "%E2%80%AE")))
        from mutations in HostileInput.Mutations(
            ["status", "url", "description", "events", "order_ref", "instruction_ref", "k1", "k2", "blocked_merchant_categories", "name", "roles", "expires_at", "note"],
            ["max_transaction_amount", "daily_spend_limit"])
        from contentType in Gen.Elements(HostileInput.ContentTypes)
        select which switch
        {
            0 => new OperatorCase("PUT", $"/v1/accounts/{path}/controls",
                """{"status":"ACTIVE","max_transaction_amount":5000,"daily_spend_limit":20000,"blocked_merchant_categories":["7995","5933"]}""", mutations, contentType),
            1 => new OperatorCase("POST", "/v1/webhook-endpoints",
                """{"url":"http://127.0.0.1:9/hook","events":["transaction.updated"],"description":"tenant A"}""", mutations, contentType),
            2 => new OperatorCase("PUT", $"/v1/instruction-links/{path}",
                """{"order_ref":"O-1","instruction_ref":"I-1","metadata":{"k1":"v1","k2":"v2"}}""", mutations, contentType),
            3 => new OperatorCase("POST", $"/v1/deliveries/{path}/redrive", "{}", mutations, contentType),
            4 => new OperatorCase("POST", "/v1/api-keys",
                """{"name":"fuzzed key","roles":["orian-account-read"],"expires_at":"2099-01-01T00:00:00Z"}""", mutations, contentType),
            5 => new OperatorCase("GET", $"/v1/audit?target=account:{path}&limit=5", "{}", mutations, contentType),
            _ => new OperatorCase("PUT", $"/v1/transactions/{path}/holds/dispute", """{"note":"chargeback 4111 1111 1111 1111"}""", mutations, contentType),
        };

    /// <summary>What a client can put in the HMAC exchange's header: any bytes a header may carry,
    /// of any length, around the expected shape.</summary>
    private static readonly Gen<string> HmacHeaders =
        from parts in Gen.ListOf(Gen.Frequency(
            (3, Gen.Elements("pk_x", "0", "-1", "9223372036854775807", "9223372036854775808", "", "Zm9v", new string('A', 300))),
            (2, Gen.ArrayOf(Gen.Choose(0x20, 0xFF).Select(c => (char)c)).Select(chars => new string(chars)))))
        from prefix in Gen.Elements("Hmac ", "hmac ", "Hmac", "")
        select prefix + string.Join(":", parts.Take(6));

    [Test]
    public async Task NoOperatorBodyOrPathGetsA5xx()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var property = Prop.ForAll(OperatorCases.ToArbitrary(), c =>
        {
            using var content = new ByteArrayContent(HostileInput.ApplyAll(c.Json, c.Mutations));
            if (c.ContentType.Length > 0)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }

            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path) { Content = content };
            using var response = service.Operator.SendAsync(request).GetAwaiter().GetResult();
            return ((int)response.StatusCode < 500).Label($"answered {(int)response.StatusCode}");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases(300)).WithQuietOnSuccess(true), property);

        // Whatever was refused, the reads still answer.
        using var controls = await service.Operator.GetAsync("/v1/accounts/OP-1/controls");
        Assert.That(controls.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var endpoints = await service.Operator.GetAsync("/v1/webhook-endpoints");
        Assert.That(endpoints.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task NoHmacExchangeHeaderGetsA5xxOrAToken()
    {
        var database = await CreateDatabaseAsync();
        // A guess budget larger than the cases, so that every header reaches the exchange's parser
        // (the budget itself is RateLimitTests' subject).
        await using var service = await database.StartServiceAsync(settings: new() { ["Orian:RateLimits:AuthFailureBurst"] = "100000" });
        // A client that sends header bytes above ASCII as they are (HttpClient refuses them otherwise).
        using var raw = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 }) { BaseAddress = service.Address };
        var property = Prop.ForAll(HmacHeaders.ToArbitrary(), header =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/identity/hmac") { Content = new ByteArrayContent([]) };
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var response = raw.SendAsync(request).GetAwaiter().GetResult();
            return (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest).Label($"answered {(int)response.StatusCode}");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases(300)).WithQuietOnSuccess(true), property);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM access_tokens"), Is.Zero, "no header bought a token");
    }

    /// <summary>Credentials for the two authentication handlers: Basic headers whose Base64 holds anything
    /// (no colon, a NUL, bytes that are not UTF-8, more than the 256 bytes decoded), headers that are not
    /// Base64 at all, and key and token headers of the same pieces.</summary>
    private static readonly Gen<(string Header, string Value)> CredentialHeaders =
        from piece in Gen.Frequency(
            (3, Gen.Elements("pps", "pps:", ":", "\0", "pps:pps-test-password\0", new string('x', 300), "", "\ud800")),
            (2, Gen.ArrayOf(Gen.Choose(0x00, 0xFF).Select(c => (char)c)).Select(chars => new string(chars))))
        from raw in Gen.ArrayOf(Gen.Choose(0x00, 0xFF).Select(b => (byte)b))
        from form in Gen.Choose(0, 4)
        select form switch
        {
            0 => ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(piece))),
            1 => ("Authorization", "Basic " + Convert.ToBase64String(raw)),
            2 => ("Authorization", "Basic " + new string(piece.Where(c => c is >= (char)0x20 and <= (char)0xFF).ToArray())),
            3 => ("Authorization", "Bearer " + new string(piece.Where(c => c is >= (char)0x20 and <= (char)0xFF).ToArray())),
            _ => ("X-Api-Key", new string(piece.Where(c => c is >= (char)0x20 and <= (char)0xFF).ToArray())),
        };

    [Test]
    public async Task NoCredentialHeaderGetsA5xxOrIn()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync(settings: new() { ["Orian:RateLimits:AuthFailureBurst"] = "100000" });
        using var raw = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 }) { BaseAddress = service.Address };
        var n = 0;
        var property = Prop.ForAll(CredentialHeaders.ToArbitrary(), credential =>
        {
            var id = $"CRED-{Interlocked.Increment(ref n)}";
            using var ingress = new HttpRequestMessage(HttpMethod.Put, $"/v2/transactions/{id}")
            {
                Content = new StringContent(new Txn { Id = id, Account = "CRED-1" }.Json, Encoding.UTF8, "application/json"),
            };
            ingress.Headers.TryAddWithoutValidation(credential.Header, credential.Value);
            using var stored = raw.SendAsync(ingress).GetAwaiter().GetResult();
            using var read = new HttpRequestMessage(HttpMethod.Get, "/v1/status");
            read.Headers.TryAddWithoutValidation(credential.Header, credential.Value);
            using var status = raw.SendAsync(read).GetAwaiter().GetResult();
            return (stored.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest).Label($"ingress answered {(int)stored.StatusCode}")
                .And((status.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest).Label($"the operator API answered {(int)status.StatusCode}"));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases(300)).WithQuietOnSuccess(true), property);
        Assert.That(await service.GetJsonOrNullAsync("/v1/accounts/CRED-1"), Is.Null, "no header let an event in");
    }

    // ---- Regressions: one per finding ---------------------------------------------------------

    [TestCase("id")]
    [TestCase("account_no")]
    public async Task InvalidUtf8InAStoredFieldIs400AndLeavesNoTrace(string field)
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var json = new Txn { Id = "U8", Account = "U8-ACC" }.Json.Replace($"\"{field}\":\"U8", $"\"{field}\":\"U8#", StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(json);
        body[Array.IndexOf(body, (byte)'#')] = 0x87; // a lone continuation byte

        var (status, _) = await SendAsync(service, "U8", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        await AssertNothingStoredAsync(database);
    }

    [TestCase("id", TestName = "ALoneSurrogateInIdIs400")]
    [TestCase("txn_lifecycle_status", TestName = "ALoneSurrogateInStatusIs400")]
    [TestCase("account_no", TestName = "ALoneSurrogateInAccountIs400")]
    [TestCase("result", TestName = "ALoneSurrogateInResultIs400")]
    [TestCase("masked_pan", TestName = "ALoneSurrogateInMaskedPanIs400")]
    [TestCase("extra_note", TestName = "ALoneSurrogateInAnIgnoredFieldIs400")]
    [TestCase("name", TestName = "ALoneSurrogateInANestedIgnoredFieldIs400")]
    public async Task ALoneSurrogateAnywhereIs400AndTheAccountStillApplies(string field)
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var txn = new Txn { Id = "LS1", Extra = "note" };
        var body = Encoding.UTF8.GetBytes(ReplaceString(txn.Json, field, "x\\ud800"));

        var (status, _) = await SendAsync(service, "LS1", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        await AssertNothingStoredAsync(database);
        // Sent again with other whitespace (the old duplicate comparison threw here): still a 400.
        var (again, _) = await SendAsync(service, "LS1", Encoding.UTF8.GetBytes(" " + Encoding.UTF8.GetString(body) + "\n"));
        Assert.That(again, Is.EqualTo(HttpStatusCode.BadRequest));
        await AssertAppliesAsync(service, txn with { Id = "LS2" });
    }

    [Test]
    public async Task ALoneSurrogateInAPropertyNameIs400()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var json = new Txn { Id = "LSN" }.Json.Replace("\"version\":1", "\"version\":1,\"a\\ud800b\":1", StringComparison.Ordinal);
        var (status, _) = await SendAsync(service, "LSN", Encoding.UTF8.GetBytes(json));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        await AssertNothingStoredAsync(database);
    }

    [Test]
    public async Task ANulInTheStatusIs400AndTheAccountStillApplies()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var txn = new Txn { Id = "NUL1", Status = "COMPLETE" };
        var body = Encoding.UTF8.GetBytes(txn.Json.Replace("\"COMPLETE\"", "\"COMPLETE\\u0000\"", StringComparison.Ordinal));

        var (status, problem) = await SendAsync(service, "NUL1", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("txn_lifecycle_status"));
        await AssertNothingStoredAsync(database);
        await AssertAppliesAsync(service, txn);
    }

    [Test]
    public async Task AnAmountAboveTheEdgeLimitIs400AndTheAccountStillApplies()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var load = new Txn { Id = "OV1", Direction = "CREDIT", Status = "COMPLETE", Amount = long.MaxValue };

        var (status, problem) = await SendAsync(service, "OV1", load.Utf8);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("authorisation.txn_amounts.requested_amount.amount"));
        await AssertAppliesAsync(service, load with { Amount = Orian.Edge.EdgeLimits.MaxAmountMinor });
        await AssertAppliesAsync(service, load with { Id = "OV2", Amount = 1 });
        var account = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        Assert.That(account.GetProperty("posted").GetInt64(), Is.EqualTo(Orian.Edge.EdgeLimits.MaxAmountMinor + 1));
    }

    [Test]
    public async Task ALoadThatWouldTakeABalanceOutOfRangeIs422AndTheAccountStillAnswersAndApplies()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        await AssertAppliesAsync(service, new Txn { Id = "RG0", Direction = "CREDIT", Status = "COMPLETE", Amount = 1 });
        // A balance at the ledger's bound, as a long history of loads would leave it.
        await database.ExecuteAsync("UPDATE accounts SET posted = @p WHERE account_no = 'ACC-1'", new { p = Orian.Edge.EdgeLimits.MaxBalanceMinor });

        var (status, problem) = await SendAsync(service, "RG1", new Txn { Id = "RG1", Direction = "CREDIT", Status = "COMPLETE", Amount = 1 }.Utf8);
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("urn:orian:problem:ledger-refused"));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions WHERE transaction_id = 'RG1'"), Is.Zero);
        var account = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        Assert.That(account.GetProperty("posted").GetInt64(), Is.EqualTo(Orian.Edge.EdgeLimits.MaxBalanceMinor));
        // The same account still applies what fits: a purchase's hold.
        await AssertAppliesAsync(service, new Txn { Id = "RG2", Amount = 500 });
    }

    [Test]
    public async Task TheDatabaseRefusesABalanceOutOfRangeEvenIfTheCodeDidNot()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        await AssertAppliesAsync(service, new Txn { Id = "DB0", Direction = "CREDIT", Status = "COMPLETE", Amount = 1 });
        Assert.That(async () => await database.ExecuteAsync("UPDATE accounts SET posted = posted + @p", new { p = Orian.Edge.EdgeLimits.MaxBalanceMinor }),
            Throws.InstanceOf<System.Data.Common.DbException>());
        Assert.That(async () => await database.ExecuteAsync("UPDATE accounts SET held = -1"), Throws.InstanceOf<System.Data.Common.DbException>());
    }

    [TestCase("9223372036854775807")]
    [TestCase("-9223372036854775808")]
    [TestCase("253402300800")]
    [TestCase("+0001700000000")]
    [TestCase(" 1700000000")]
    public async Task AnExtremeOrReformattedWebhookTimestampIs401(string timestamp)
    {
        var database = await CreateDatabaseAsync();
        var secret = "whsec_" + Convert.ToBase64String(new byte[32]);
        await using var service = await database.StartServiceAsync(settings: new() { ["Orian:Ingress:SigningSecret"] = secret });
        var txn = new Txn { Id = "TS1" };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2/transactions/TS1") { Content = new ByteArrayContent(txn.Utf8) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("webhook-id", "msg_1");
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp);
        // Signed over the digits as PPS would have meant them: a reformatted header must not pass.
        var seconds = long.TryParse(timestamp.Trim().TrimStart('+'), out var s) ? s : 0;
        request.Headers.TryAddWithoutValidation("webhook-signature", StandardWebhookSignature.Sign(StandardWebhookSignature.KeyFromSecret(secret), "msg_1", seconds, txn.Utf8));
        using var response = await service.Pps.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await AssertNothingStoredAsync(database);
    }

    [Test]
    public async Task AnUnauthenticatedPathIdCannotForgeALogLine()
    {
        var database = await CreateDatabaseAsync();
        var logs = new CapturedLogs();
        await using var service = await database.StartServiceAsync(logs.AddTo);
        var forged = "x%0D%0Afail: Orian.Forged[1] card 4111111111111111";
        using var response = await service.Anonymous.PutAsync($"/v2/transactions/{forged}", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        // A credential failure is logged once per source and interval, without the path: an
        // unauthenticated client cannot put text of its own into the log at all.
        var rejected = logs.Lines.Where(l => l.Contains("[1208]", StringComparison.Ordinal)).ToList();
        Assert.That(rejected, Has.Count.EqualTo(1), "the failure is logged");
        Assert.That(logs.Lines, Has.None.Contains("\nfail:").And.None.Contains("\rfail:"), "no line break of the client's reaches the log");
        Assert.That(logs.All, Does.Not.Contain("4111111111111111").And.Not.Contain("Orian.Forged"));
    }

    [Test]
    public async Task ACardNumberAnywhereInTheBodyReachesNeitherTheLogsNorTheStoredBody()
    {
        var database = await CreateDatabaseAsync();
        var logs = new CapturedLogs();
        await using var service = await database.StartServiceAsync(logs.AddTo);
        const string pan = "4111111111111111", other = "5500005555555559", escaped = "4000\\u00300000000000002"; // 400000000000000002
        var json = new Txn { Id = "PAN1", Status = "SOMETHING_NEW", Extra = other }.Json
            .Replace("123456******9876", pan, StringComparison.Ordinal)
            .Replace("\"version\":1", "\"version\":1,\"nested\":{\"list\":[\"" + escaped + "\"]}", StringComparison.Ordinal);

        var (status, _) = await SendAsync(service, "PAN1", Encoding.UTF8.GetBytes(json));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK)); // flagged unknown_status: the masked PAN is logged
        var raw = (await database.QueryAsync<string>("SELECT raw_json FROM transaction_versions WHERE transaction_id = 'PAN1'")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(raw, Does.Not.Contain(pan).And.Not.Contain(other).And.Not.Contain("400000000000000002").And.Not.Contain(escaped));
            Assert.That(raw, Does.Contain("411111******1111").And.Contain("550000******5559").And.Contain("400000********0002"));
            Assert.That(logs.All, Does.Not.Contain(pan).And.Not.Contain(other));
            Assert.That(logs.All, Does.Contain("411111******1111"), "the flagged line shows the masked PAN");
        });
        using var document = JsonDocument.Parse(raw); // still a JSON document
        Assert.That(document.RootElement.GetProperty("id").GetString(), Is.EqualTo("PAN1"));
        // The version rule compares the bytes as received: the same body again is a duplicate.
        var (again, body) = await SendAsync(service, "PAN1", Encoding.UTF8.GetBytes(json));
        Assert.That(body.GetProperty("outcome").GetString(), Is.EqualTo("duplicate"));
    }

    [Test]
    public async Task AnAuthorisationRequestWithADuplicatedUnknownMemberIsAnsweredWithItsDecision()
    {
        // Found by the fuzz test: the answer was built in a dictionary, which threw on the duplicate
        // name after the decision (and its hold) had committed: a 500 to PPS with a hold standing.
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        await AssertAppliesAsync(service, new Txn { Id = "DUP-LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 });
        var json = new Txn { Id = "DUP-AUTH", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 300, Extra = "a" }.Json
            .Replace("\"extra_note\":\"a\"", "\"extra_note\":\"a\",\"extra_note\":\"b\"", StringComparison.Ordinal);

        var (status, body) = await SendAsync(service, "DUP-AUTH", Encoding.UTF8.GetBytes(json));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("txn_result").GetProperty("result").GetString(), Is.EqualTo("APPROVED"));
        Assert.That(body.GetProperty("id").GetString(), Is.EqualTo("DUP-AUTH"), "the resource as sent");
        var account = (await service.GetJsonOrNullAsync("/v1/accounts/ACC-1"))!.Value;
        Assert.That(account.GetProperty("held").GetInt64(), Is.EqualTo(300));
    }

    [Test]
    public async Task ARetryStormStoresTheBodyOnce()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var txn = new Txn { Id = "STORM", Extra = new string('x', 2000) };
        for (var i = 0; i < 20; i++)
        {
            var (status, _) = await SendAsync(service, "STORM", txn.Utf8);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        }

        await SendAsync(service, "STORM", (txn with { Version = 0 }).Utf8); // stale
        var rows = await database.QueryAsync<(string Outcome, string? Raw)>("SELECT outcome, raw_json FROM transaction_versions WHERE transaction_id = 'STORM'");
        Assert.That(rows, Has.Count.EqualTo(21), "every receipt is on record");
        Assert.That(rows.Count(r => r.Raw is not null), Is.EqualTo(1), "the body is stored once");
        Assert.That(rows.Where(r => r.Raw is not null).Select(r => r.Outcome), Is.EqualTo(new[] { "applied" }));
    }

    [Test]
    public async Task AConflictingBodyIsStoredOnceHoweverOftenItIsResent()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        await AssertAppliesAsync(service, new Txn { Id = "CF", Amount = 100 });
        for (var i = 0; i < 3; i++)
        {
            var (_, body) = await SendAsync(service, "CF", new Txn { Id = "CF", Amount = 999 }.Utf8);
            Assert.That(body.GetProperty("outcome").GetString(), Is.EqualTo("conflict"));
        }

        var bodies = await database.QueryAsync<string>("SELECT raw_json FROM transaction_versions WHERE transaction_id = 'CF' AND raw_json IS NOT NULL");
        Assert.That(bodies, Has.Count.EqualTo(2), "the applied body and the conflicting one, once each");
    }

    [TestCase("/v1/webhook-endpoints", "POST", """{"url":"http://127.0.0.1:9/x","events":["transaction.updated"],"description":"a\ud800"}""", TestName = "ALoneSurrogateInAWebhookDescriptionIs400")]
    [TestCase("/v1/webhook-endpoints", "POST", """{"url":"http://127.0.0.1:9/x\ud800","events":["transaction.updated"]}""", TestName = "ALoneSurrogateInAWebhookUrlIs400")]
    [TestCase("/v1/webhook-endpoints", "POST", """{"url":"http://127.0.0.1:9/x","events":["\ud800"]}""", TestName = "ALoneSurrogateInWebhookEventsIs400")]
    [TestCase("/v1/webhook-endpoints", "POST", """{"url":"http://127.0.0.1:9/x","events":["transaction.updated"],"description":"a\u0000b"}""", TestName = "ANulInAWebhookDescriptionIs400")]
    [TestCase("/v1/accounts/OP-1/controls", "PUT", """{"status":"ACT\ud800"}""", TestName = "ALoneSurrogateInAControlValueIs400")]
    [TestCase("/v1/accounts/OP-1/controls", "PUT", """{"status":"ACTIVE","blocked_merchant_categories":["79\u00005"]}""", TestName = "ANulInAMerchantCategoryIs400")]
    [TestCase("/v1/instruction-links/T-1", "PUT", """{"order_ref":"O\ud800","instruction_ref":"I-1"}""", TestName = "ALoneSurrogateInAnOrderRefIs400")]
    [TestCase("/v1/instruction-links/T-1", "PUT", """{"order_ref":"O-1","instruction_ref":"I-1","metadata":{"k":"v\ud800"}}""", TestName = "ALoneSurrogateInLinkMetadataIs400")]
    [TestCase("/v1/instruction-links/T-1", "PUT", """{"order_ref":"O-1","instruction_ref":"I-1","metadata":{"k":"v\u0000"}}""", TestName = "ANulInLinkMetadataIs400")]
    [TestCase("/v1/instruction-links/a%0Ab", "PUT", """{"order_ref":"O-1","instruction_ref":"I-1"}""", TestName = "ALineBreakInATransactionPathIs400")]
    [TestCase("/v1/accounts/a%E2%80%AEb/controls", "PUT", """{"status":"ACTIVE"}""", TestName = "ABidiOverrideInAnAccountPathIs400")]
    public async Task AnOperatorBodyWithHostileTextIs400AndChangesNothing(string path, string method, string json)
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await service.Operator.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await database.ScalarAsync<long>("SELECT (SELECT count(*) FROM webhook_endpoints WHERE kind = 'webhook') + (SELECT count(*) FROM account_controls) + (SELECT count(*) FROM instruction_links)"), Is.Zero);
    }

    [TestCase("%00", TestName = "ANulInAnAccountPathIs4xxNotA5xx")]
    [TestCase("a%0Ab", TestName = "ALineBreakInAnAccountPathIs4xxNotA5xx")]
    [TestCase("%ED%A0%80", TestName = "AnEncodedSurrogateInAnAccountPathIs4xxNotA5xx")]
    [TestCase("%C3%28", TestName = "InvalidUtf8InAnAccountPathIs4xxNotA5xx")]
    public async Task AHostileAccountInAnOperatorPathIsNeverA5xxNorStored(string account)
    {
        // Kestrel refuses some targets itself (a NUL: a bare 400); it leaves undecodable escapes
        // as literal text, which is then simply not found; the rest the route filter refuses.
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        foreach (var path in new[] { $"/v1/accounts/{account}", $"/v1/accounts/{account}/journal", $"/v1/accounts/{account}/decisions", $"/v1/transactions/{account}" })
        {
            using var response = await service.Operator.GetAsync(path);
            Assert.That((int)response.StatusCode, Is.LessThan(500), path);
        }

        using var put = await service.Operator.PutAsync($"/v1/accounts/{account}/controls", new StringContent("""{"status":"BLOCKED"}""", Encoding.UTF8, "application/json"));
        Assert.That((int)put.StatusCode, Is.LessThan(500));
        var stored = await database.QueryAsync<string>("SELECT account_no FROM account_controls");
        Assert.That(stored, Has.All.Matches<string>(a => Orian.Edge.TextRules.IsIdentifier(a)), "only printable identifiers are ever stored");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static async Task<(HttpStatusCode Status, string? ContentType)> SendAsync(TestService service, string pathId, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        if (contentType.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await service.Pps.PutAsync($"/v2/transactions/{pathId}", content);
        await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(TestService service, string pathId, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await service.Pps.PutAsync($"/v2/transactions/{pathId}", content);
        return (response.StatusCode, await TestService.JsonAsync(response));
    }

    private static async Task AssertAppliesAsync(TestService service, Txn txn)
    {
        var (status, body) = await SendAsync(service, Uri.EscapeDataString(txn.Id), txn.Utf8);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"{txn.Id}: {body}");
        Assert.That(body.GetProperty(txn.Status == "AUTHORISATION_REQUESTED" ? "orian_outcome" : "outcome").GetString(), Is.EqualTo("applied"), txn.Id);
    }

    private static async Task AssertNothingStoredAsync(TestDatabase database) =>
        Assert.That(await database.ScalarAsync<long>("SELECT (SELECT count(*) FROM transaction_versions) + (SELECT count(*) FROM accounts) + (SELECT count(*) FROM journal)"), Is.Zero);

    /// <summary>After any run: every account holding a balance takes a normal load and a normal debit.</summary>
    private static async Task AssertEveryAccountStillAppliesAsync(TestService service, TestDatabase database)
    {
        var accounts = await database.QueryAsync<(string AccountNo, string Currency, long Exponent)>("SELECT account_no, currency, exponent FROM accounts");
        var n = 0;
        foreach (var (accountNo, currency, exponent) in accounts)
        {
            n++;
            await AssertAppliesAsync(service, new Txn { Id = $"AFTER-L{n}", Account = accountNo, Currency = currency, Exponent = (int)exponent, Direction = "CREDIT", Status = "COMPLETE", Amount = 1 });
            await AssertAppliesAsync(service, new Txn { Id = $"AFTER-D{n}", Account = accountNo, Currency = currency, Exponent = (int)exponent, Amount = 1 });
        }

        await AssertAppliesAsync(service, new Txn { Id = "AFTER-NEW", Account = "FZ-NEW", Direction = "CREDIT", Status = "COMPLETE" });
    }

    private static string ReplaceString(string json, string field, string content)
    {
        var marker = $"\"{field}\":\"";
        var start = json.IndexOf(marker, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), field);
        start += marker.Length;
        var end = json.IndexOf('"', start);
        return json[..start] + content + json[end..];
    }
}
