using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orian.Tests.Support;

namespace Orian.Tests.Outbox;

/// <summary>The webhook endpoints and deliveries API over HTTP, and an event travelling from a PUT
/// to a tenant's receiver through the running service.</summary>
public sealed class WebhookApiTests
{
    private static Task<HttpResponseMessage> PostJson(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Test]
    public async Task TheUserInfoOfAnEndpointAnOlderBuildRegisteredNeverReachesTheAuditTrail()
    {
        await using var service = await TestService.StartSqliteAsync();
        var store = service.Services.GetRequiredService<Orian.Storage.IWebhookEndpointStore>();
        var at = DateTimeOffset.UtcNow;
        // As an older build stored it: the API has refused user info since.
        await store.CreateEndpointAsync(new Orian.Storage.WebhookEndpointRow
        {
            Id = "we_old_userinfo",
            Url = "https://someone:s3cr3t-pass@example.com/hook",
            Events = "transaction.updated",
            Secret = Orian.Security.StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Status = "enabled",
            CreatedAt = at,
            UpdatedAt = at,
        }, new Orian.Storage.OperatorContext("key_old", "older build", at, null), CancellationToken.None);

        using (var deleted = await service.Operator.DeleteAsync("/v1/webhook-endpoints/we_old_userinfo"))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var audit = (await service.GetJsonOrNullAsync("/v1/audit?target=webhook_endpoint:we_old_userinfo"))!.Value.GetProperty("entries");
        Assert.That(audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[] { "webhook_endpoint.create", "webhook_endpoint.delete" }));
        Assert.That(audit.GetRawText(), Does.Not.Contain("s3cr3t").And.Not.Contain("someone").And.Contain("https://example.com/hook"));
    }

    [Test]
    public async Task AnEventTravelsFromAPutToTheTenantsReceiverSigned()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await TestService.StartPostgresAsync("e2e");
        using var created = await PostJson(service.Operator, "/v1/webhook-endpoints",
            $"{{\"url\":\"{receiver.Url}\",\"events\":[\"transaction.updated\"],\"description\":\"ledger feed\"}}");
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var secret = (await TestService.JsonAsync(created)).GetProperty("secret").GetString()!;

        var arrived = receiver.NextRequest;
        using (var put = await service.PutAsync(new Txn { Id = "E2E", Amount = 42 }))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await arrived.WaitAsync(TimeSpan.FromSeconds(30)); // a guard against hanging, not a timing assertion
        var received = receiver.Requests.Single();
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{received.Id}.{received.Timestamp}.{received.Body}")));
        Assert.That(received.Signature, Is.EqualTo(expected));
        Assert.That(JsonDocument.Parse(received.Body).RootElement.GetProperty("data").GetProperty("transaction_id").GetString(), Is.EqualTo("E2E"));
    }

    [Test]
    public async Task EndpointsAreCreatedWithASecretShownOnceListedRotatedAndDeleted()
    {
        await using var service = await TestService.StartSqliteAsync();
        using var created = await PostJson(service.Operator, "/v1/webhook-endpoints",
            "{\"url\":\"https://tenant.example/hooks\",\"events\":[\"authorisation.decided\",\"transaction.updated\"]}");
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = await TestService.JsonAsync(created);
        var id = body.GetProperty("id").GetString()!;
        Assert.That(body.GetProperty("secret").GetString(), Does.StartWith("whsec_"));
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/v1/webhook-endpoints/{id}"));

        var fetched = (await service.GetJsonOrNullAsync($"/v1/webhook-endpoints/{id}"))!.Value;
        Assert.That(fetched.GetProperty("secret").ValueKind, Is.EqualTo(JsonValueKind.Null), "the secret is shown only when created or rotated");
        Assert.That(fetched.GetProperty("events").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "authorisation.decided", "transaction.updated" }));

        using var rotated = await service.Operator.PostAsync($"/v1/webhook-endpoints/{id}/rotate-secret", null);
        var newSecret = (await TestService.JsonAsync(rotated)).GetProperty("secret").GetString();
        Assert.That(newSecret, Does.StartWith("whsec_").And.Not.EqualTo(body.GetProperty("secret").GetString()));

        var list = (await service.GetJsonOrNullAsync("/v1/webhook-endpoints"))!.Value.GetProperty("endpoints");
        Assert.That(list.GetArrayLength(), Is.EqualTo(1));

        using var deleted = await service.Operator.DeleteAsync($"/v1/webhook-endpoints/{id}");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var again = await service.Operator.DeleteAsync($"/v1/webhook-endpoints/{id}");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("{\"events\":[\"transaction.updated\"]}", "url")]
    [TestCase("{\"url\":\"ftp://x.example/h\",\"events\":[\"transaction.updated\"]}", "url")]
    [TestCase("{\"url\":\"not a url\",\"events\":[\"transaction.updated\"]}", "url")]
    [TestCase("{\"url\":\"https://x.example/h\"}", "events")]
    [TestCase("{\"url\":\"https://x.example/h\",\"events\":[]}", "events")]
    [TestCase("{\"url\":\"https://x.example/h\",\"events\":[\"transaction.deleted\"]}", "events")]
    [TestCase("{\"url\":\"https://x.example/h\",\"events\":[\"transaction.updated\"],\"description\":7}", "description")]
    [TestCase("[1]", "$")]
    public async Task InvalidEndpointsAreRejectedNamingTheFieldAndNothingIsCreated(string json, string field)
    {
        await using var service = await TestService.StartSqliteAsync();
        using var response = await PostJson(service.Operator, "/v1/webhook-endpoints", json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestService.JsonAsync(response)).GetProperty("field").GetString(), Is.EqualTo(field));
        Assert.That((await service.GetJsonOrNullAsync("/v1/webhook-endpoints"))!.Value.GetProperty("endpoints").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task DeadDeliveriesAreListedWithTheirAttemptsAndReDrivenOverTheApi()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var service = await TestService.StartSqliteAsync(
            s => s.AddSingleton<TimeProvider>(clock),
            new() { ["Orian:Outbox:DispatcherEnabled"] = "false", ["Orian:Outbox:PollIntervalMs"] = "20" }); // the test runs the loops itself
        var dispatcher = service.Services.GetRequiredService<Orian.Service.Delivery.WebhookDispatcher>();
        using (await PostJson(service.Operator, "/v1/webhook-endpoints", $"{{\"url\":\"{receiver.Url}\",\"events\":[\"transaction.updated\"]}}"))
        {
        }

        using (await service.PutAsync(new Txn { Id = "DL1" }))
        {
        }

        receiver.Respond(8, WebhookReceiver.Status(500)); // every attempt of the default schedule fails
        for (var attempt = 0; attempt < 8; attempt++)
        {
            await DispatcherRun.OnceAsync(dispatcher);
            clock.Advance(TimeSpan.FromHours(11)); // past the longest wait of the schedule
        }

        var dead = (await service.GetJsonOrNullAsync("/v1/deliveries?state=dead"))!.Value.GetProperty("deliveries");
        Assert.That(dead.GetArrayLength(), Is.EqualTo(1));
        var id = dead[0].GetProperty("id").GetInt64();
        var detail = (await service.GetJsonOrNullAsync($"/v1/deliveries/{id}"))!.Value;
        Assert.That(detail.GetProperty("state").GetString(), Is.EqualTo("dead"));
        Assert.That(detail.GetProperty("attempt_log").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()), Is.EqualTo(Enumerable.Repeat(500, 8)));
        Assert.That(detail.GetProperty("attempt_log").EnumerateArray().Select(a => a.GetProperty("latency_ms").GetDouble()), Has.All.GreaterThanOrEqualTo(0));

        using var badState = await service.Operator.GetAsync("/v1/deliveries?state=lost");
        Assert.That(badState.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var redrive = await service.Operator.PostAsync($"/v1/deliveries/{id}/redrive", null);
        Assert.That(redrive.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var twice = await service.Operator.PostAsync($"/v1/deliveries/{id}/redrive", null);
        Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "only dead deliveries can be re-driven");

        await DispatcherRun.OnceAsync(dispatcher);
        var delivered = (await service.GetJsonOrNullAsync($"/v1/deliveries/{id}"))!.Value;
        Assert.That(delivered.GetProperty("state").GetString(), Is.EqualTo("delivered"));
        Assert.That(receiver.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1), "the same webhook-id after a re-drive");
        using var all = await service.Operator.PostAsync("/v1/deliveries/redrive", null);
        Assert.That((await TestService.JsonAsync(all)).GetProperty("redriven").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task TheWebhookApiRequiresTheOperatorKey()
    {
        await using var service = await TestService.StartSqliteAsync();
        using var response = await PostJson(service.Anonymous, "/v1/webhook-endpoints", "{\"url\":\"https://x.example/h\",\"events\":[\"transaction.updated\"]}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var deliveries = await service.Anonymous.GetAsync("/v1/deliveries");
        Assert.That(deliveries.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
