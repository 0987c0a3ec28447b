using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orian.Security;
using Orian.Tests.Support;

namespace Orian.Tests.Security;

/// <summary>
/// Operator keys, roles, the HMAC exchange and the audit trail over real HTTP, on every provider:
/// every operator endpoint with and without its role, revoked and expired keys, the exchange checked
/// against signatures computed here from the documented formula, and the audit entry of each change.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class OperatorIdentityContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    /// <summary>One call of an operator route; <paramref name="Route"/> is the route's pattern where the
    /// path has ids in it (the path itself otherwise), to compare with the routes the app maps.</summary>
    private sealed record Call(HttpMethod Method, string Path, string? Body, string Role, string? Route = null)
    {
        public string Pattern => Route ?? Path;
    }

    private static readonly Call[] Operations =
    [
        new(HttpMethod.Get, "/v1/accounts/ACC-1", null, OperatorRoles.AccountRead, "/v1/accounts/{accountNo}"),
        new(HttpMethod.Get, "/v1/accounts/ACC-1/journal", null, OperatorRoles.AccountRead, "/v1/accounts/{accountNo}/journal"),
        new(HttpMethod.Get, "/v1/accounts/ACC-1/controls", null, OperatorRoles.AccountRead, "/v1/accounts/{accountNo}/controls"),
        new(HttpMethod.Put, "/v1/accounts/ACC-1/controls", """{"status":"ACTIVE"}""", OperatorRoles.AccountWrite, "/v1/accounts/{accountNo}/controls"),
        new(HttpMethod.Get, "/v1/accounts/ACC-1/decisions", null, OperatorRoles.AccountRead, "/v1/accounts/{accountNo}/decisions"),
        new(HttpMethod.Get, "/v1/transactions/T1", null, OperatorRoles.TransactionRead, "/v1/transactions/{id}"),
        new(HttpMethod.Post, "/v1/webhook-endpoints", """{"url":"https://example.com/hook","events":["transaction.updated"]}""", OperatorRoles.WebhookWrite),
        new(HttpMethod.Get, "/v1/webhook-endpoints", null, OperatorRoles.WebhookRead),
        new(HttpMethod.Get, "/v1/webhook-endpoints/we_none", null, OperatorRoles.WebhookRead, "/v1/webhook-endpoints/{id}"),
        new(HttpMethod.Post, "/v1/webhook-endpoints/we_none/rotate-secret", null, OperatorRoles.WebhookWrite, "/v1/webhook-endpoints/{id}/rotate-secret"),
        new(HttpMethod.Delete, "/v1/webhook-endpoints/we_none", null, OperatorRoles.WebhookWrite, "/v1/webhook-endpoints/{id}"),
        new(HttpMethod.Get, "/v1/deliveries", null, OperatorRoles.DeliveryRead),
        new(HttpMethod.Get, "/v1/deliveries/1", null, OperatorRoles.DeliveryRead, "/v1/deliveries/{id:long}"),
        new(HttpMethod.Get, "/v1/deliveries/stats", null, OperatorRoles.DeliveryRead),
        new(HttpMethod.Post, "/v1/deliveries/1/redrive", null, OperatorRoles.DeliveryWrite, "/v1/deliveries/{id:long}/redrive"),
        new(HttpMethod.Post, "/v1/deliveries/redrive", null, OperatorRoles.DeliveryWrite),
        new(HttpMethod.Put, "/v1/instruction-links/T1", """{"order_ref":"ORD-1","instruction_ref":"INS-1"}""", OperatorRoles.LinkWrite, "/v1/instruction-links/{transactionId}"),
        new(HttpMethod.Get, "/v1/instruction-links/T1", null, OperatorRoles.LinkRead, "/v1/instruction-links/{transactionId}"),
        new(HttpMethod.Delete, "/v1/instruction-links/T1", null, OperatorRoles.LinkWrite, "/v1/instruction-links/{transactionId}"),
        new(HttpMethod.Get, "/v1/api-keys", null, OperatorRoles.Admin),
        new(HttpMethod.Post, "/v1/api-keys", """{"name":"made in the matrix","roles":["orian-account-read"]}""", OperatorRoles.Admin),
        new(HttpMethod.Delete, "/v1/api-keys/key_none", null, OperatorRoles.Admin, "/v1/api-keys/{id}"),
        new(HttpMethod.Get, "/v1/audit", null, OperatorRoles.Admin),
        new(HttpMethod.Get, "/v1/status", null, OperatorRoles.StatusRead),
        new(HttpMethod.Get, "/v1/transactions/T1/holds", null, OperatorRoles.TransactionRead, "/v1/transactions/{id}/holds"),
        new(HttpMethod.Put, "/v1/transactions/T1/holds/dispute", null, OperatorRoles.TransactionWrite, "/v1/transactions/{id}/holds/{reason}"),
        new(HttpMethod.Delete, "/v1/transactions/T1/holds/dispute", null, OperatorRoles.TransactionWrite, "/v1/transactions/{id}/holds/{reason}"),
        new(HttpMethod.Get, "/v1/card-data", null, OperatorRoles.Admin),
    ];

    [Test]
    public async Task EveryOperatorRouteTheAppMapsHasAPolicyForItsRoleAndIsInTheRoleTable()
    {
        await using var service = await (await CreateDatabaseAsync("routes")).StartServiceAsync();
        var routes = service.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true && e.RoutePattern.RawText != "/v1/identity/hmac")
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Route: e.RoutePattern.RawText!, Endpoint: e)))
            .ToList();
        var table = Operations.Select(o => (o.Method.Method, o.Pattern, o.Role)).ToList();
        Assert.That(routes, Has.Count.EqualTo(Operations.Length), "the operator routes the app maps, one per row of the role table");
        foreach (var (method, route, endpoint) in routes)
        {
            var policies = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).ToList();
            var row = table.Where(t => t.Item1 == method && t.Item2 == route).ToList();
            Assert.That(row, Has.Count.EqualTo(1), $"{method} {route}: one row in the role table (so the 403 test covers it)");
            Assert.That(policies, Has.Count.EqualTo(1).And.All.StartWith(row[0].Role), $"{method} {route}: the policy of its role");
        }

        Assert.That(table.Select(t => (t.Item1, t.Item2)), Is.SubsetOf(routes.Select(r => (r.Method, r.Route))), "every row of the role table is a mapped route");
        var schemes = service.Services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();
        Assert.That(await schemes.GetDefaultAuthenticateSchemeAsync(), Is.Null, "no default scheme: a request to a route without a role (ingress) authenticates nothing");
    }

    /// <summary>The routes anyone may call: the health probes, the API document, and the HMAC exchange
    /// (which authenticates by the signature in its body).</summary>
    private static readonly string[] OpenRoutes = ["/health/live", "/health/ready", "/openapi/v1.json", "/v1/identity/hmac"];

    [Test]
    public async Task EveryRouteTheAppMapsNamesTheSchemeItAuthenticatesWithOrIsListedAsOpen()
    {
        await using var service = await (await CreateDatabaseAsync("schemes")).StartServiceAsync();
        var policies = service.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>();
        var endpoints = service.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().ToList();
        var open = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = endpoint.RoutePattern.RawText!;
            var names = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).ToList();
            if (names.Count == 0)
            {
                open.Add(route);
                continue;
            }

            Assert.That(names, Has.Count.EqualTo(1), $"{route}: one policy");
            var policy = await policies.GetPolicyAsync(names[0]!);
            Assert.That(policy, Is.Not.Null, $"{route}: its policy '{names[0]}' exists");
            var expected = route.StartsWith("/v2/", StringComparison.Ordinal) ? "orian-pps" : "orian-operator";
            Assert.That(policy!.AuthenticationSchemes, Is.EqualTo(new[] { expected }), $"{route}: authenticated by {expected} alone");
        }

        Assert.That(open, Is.EquivalentTo(OpenRoutes), "the routes without a policy are exactly the open ones");
        Assert.That(endpoints.Count(e => e.RoutePattern.RawText == "/v2/transactions/{id}"), Is.EqualTo(1), "the ingress route is mapped once");
    }

    [Test]
    public async Task PpsCredentialsOpenNoOperatorRouteAndAnOperatorKeyOpensNoIngress()
    {
        await using var service = await (await CreateDatabaseAsync("cross")).StartServiceAsync();
        var admin = await CreateKeyAsync(service, "cross admin", OperatorRoles.Admin);

        using (var asPps = new HttpRequestMessage(HttpMethod.Get, "/v1/status"))
        {
            asPps.Headers.Authorization = TestService.PpsCredentials;
            using var refused = await service.Anonymous.SendAsync(asPps);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "PPS's Basic credentials on an operator route");
            Assert.That(refused.Headers.WwwAuthenticate, Is.Empty, "the operator scheme asks for a key, not Basic");
        }

        var txn = new Txn { Id = "CROSS-1" };
        foreach (var header in new Action<HttpRequestHeaders>[] { h => h.Add("X-Api-Key", admin.PrivateKey), h => h.Authorization = new("Bearer", admin.PrivateKey) })
        {
            using var asOperator = new HttpRequestMessage(HttpMethod.Put, "/v2/transactions/CROSS-1") { Content = new StringContent(txn.Json, Encoding.UTF8, "application/json") };
            header(asOperator.Headers);
            using var refused = await service.Anonymous.SendAsync(asOperator);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "an admin key on the ingress route");
            Assert.That(refused.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic"));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        Assert.That(await service.GetJsonOrNullAsync("/v1/transactions/CROSS-1"), Is.Null, "nothing stored");
        using var accepted = await service.PutRawAsync("CROSS-1", txn.Json);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), "PPS's own credentials");
    }

    private sealed record Key(string Id, string PublicKey, string PrivateKey);

    private static async Task<Key> CreateKeyAsync(TestService service, string name, params string[] roles)
    {
        using var response = await service.Operator.PostAsJsonAsync("/v1/api-keys", new { name, roles });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = await TestService.JsonAsync(response);
        return new Key(body.GetProperty("id").GetString()!, body.GetProperty("public_key").GetString()!, body.GetProperty("private_key").GetString()!);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestService service, Call call, Action<HttpRequestHeaders> authenticate)
    {
        using var request = new HttpRequestMessage(call.Method, call.Path);
        if (call.Body is not null)
        {
            request.Content = new StringContent(call.Body, Encoding.UTF8, "application/json");
        }

        authenticate(request.Headers);
        return await service.Anonymous.SendAsync(request);
    }

    private static Action<HttpRequestHeaders> ApiKey(string key) => h => h.Add("X-Api-Key", key);

    [Test]
    public async Task EveryOperatorEndpointNeedsItsRoleAndAKeyWithoutItGets403NamingIt()
    {
        await using var service = await (await CreateDatabaseAsync("roles")).StartServiceAsync();
        var keys = new Dictionary<string, Key>();
        foreach (var role in OperatorRoles.All)
        {
            keys[role] = await CreateKeyAsync(service, role, role);
        }

        foreach (var call in Operations)
        {
            using (var allowed = await SendAsync(service, call, ApiKey(keys[call.Role].PrivateKey)))
            {
                Assert.That((int)allowed.StatusCode, Is.Not.EqualTo(401).And.Not.EqualTo(403).And.LessThan(500), $"{call.Method} {call.Path} with {call.Role}");
            }

            using (var admin = await SendAsync(service, call, ApiKey(keys[OperatorRoles.Admin].PrivateKey)))
            {
                Assert.That((int)admin.StatusCode, Is.Not.EqualTo(401).And.Not.EqualTo(403).And.LessThan(500), $"{call.Method} {call.Path} as admin");
            }

            var other = OperatorRoles.All.First(r => r != OperatorRoles.Admin && !OperatorRoles.Satisfies([r], call.Role));
            using var refused = await SendAsync(service, call, ApiKey(keys[other].PrivateKey));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{call.Method} {call.Path} with {other}");
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((await TestService.JsonAsync(refused)).GetProperty("required_role").GetString(), Is.EqualTo(call.Role));
        }
    }

    [Test]
    public async Task AWriteRoleImpliesItsReadRoleAndNothingElse()
    {
        await using var service = await (await CreateDatabaseAsync("implies")).StartServiceAsync();
        var writer = await CreateKeyAsync(service, "writer", OperatorRoles.AccountWrite);
        using var read = await SendAsync(service, Operations[0], ApiKey(writer.PrivateKey));
        Assert.That((int)read.StatusCode, Is.Not.EqualTo(403));
        using var other = await SendAsync(service, Operations[5], ApiKey(writer.PrivateKey));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task UnknownRevokedAndExpiredKeysGet401()
    {
        var database = await CreateDatabaseAsync("revoked");
        await using var service = await database.StartServiceAsync();
        var revoked = await CreateKeyAsync(service, "revoked", OperatorRoles.AccountRead);
        var expired = await CreateKeyAsync(service, "expired", OperatorRoles.AccountRead);
        using (var ok = await SendAsync(service, Operations[0], ApiKey(revoked.PrivateKey)))
        {
            Assert.That((int)ok.StatusCode, Is.Not.EqualTo(401));
        }

        using (var delete = await service.Operator.DeleteAsync($"/v1/api-keys/{revoked.Id}"))
        {
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        await database.ExecuteAsync("UPDATE api_keys SET expires_at = @past WHERE id = @id", new { past = DateTimeOffset.UtcNow.AddMinutes(-1), id = expired.Id });
        foreach (var key in new[] { revoked.PrivateKey, expired.PrivateKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) })
        {
            using var refused = await SendAsync(service, Operations[0], ApiKey(key));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        var listed = (await service.GetJsonOrNullAsync("/v1/api-keys"))!.Value.GetProperty("keys").EnumerateArray().ToList();
        Assert.That(listed.Single(k => k.GetProperty("id").GetString() == revoked.Id).TryGetProperty("revoked_at", out var revokedAt) ? revokedAt.ValueKind : default,
            Is.EqualTo(JsonValueKind.String));
        Assert.That(listed.Single(k => k.GetProperty("id").GetString() == revoked.Id).GetProperty("last_used_at").ValueKind, Is.EqualTo(JsonValueKind.String), "used once before revocation");
        Assert.That(listed.Single(k => k.GetProperty("id").GetString() == expired.Id).GetProperty("last_used_at").ValueKind, Is.EqualTo(JsonValueKind.Null), "never used: no last_used_at");
        Assert.That(listed.Select(k => k.GetRawText()), Has.None.Contains(revoked.PrivateKey), "a list never shows a private key");
    }

    /// <summary>The documented formula, written out independently of the service's code.</summary>
    private static string Hmac(Key key, string nonce, long epoch)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(key.PrivateKey));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{key.PublicKey}:{nonce}:{epoch}:")));
        return $"Hmac {key.PublicKey}:{nonce}:{epoch}:{signature}";
    }

    private static async Task<HttpResponseMessage> ExchangeAsync(TestService service, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/identity/hmac") { Content = new ByteArrayContent([]) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await service.Anonymous.SendAsync(request);
    }

    [Test]
    public async Task TheHmacExchangeBuysAShortLivedBearerTokenAndRefusesReplaysStaleTimesAndWrongKeys()
    {
        // The service's clock stands still, so a time 301 s away is exactly that far (a real clock
        // could tick between computing it and the request, and make it 300).
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var service = await (await CreateDatabaseAsync("hmac")).StartServiceAsync(s => s.AddSingleton<TimeProvider>(clock));
        var key = await CreateKeyAsync(service, "script", OperatorRoles.TransactionRead);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var nonce = Guid.NewGuid().ToString("D");

        using var exchanged = await ExchangeAsync(service, Hmac(key, nonce, now));
        Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.Created), await exchanged.Content.ReadAsStringAsync());
        var body = await TestService.JsonAsync(exchanged);
        var token = body.GetProperty("accessToken").GetString()!;
        var expires = DateTimeOffset.FromUnixTimeMilliseconds(body.GetProperty("expires").GetInt64());
        Assert.That(expires - clock.GetUtcNow(), Is.EqualTo(TimeSpan.FromHours(1)), "an hour by default");

        void Bearer(HttpRequestHeaders h) => h.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var read = await SendAsync(service, Operations[5], Bearer))
        {
            Assert.That((int)read.StatusCode, Is.Not.EqualTo(401).And.Not.EqualTo(403), "the token carries the key's roles");
        }

        using (var beyond = await SendAsync(service, Operations[0], Bearer))
        {
            Assert.That(beyond.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "and no more");
        }

        var wrong = key with { PrivateKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        foreach (var (authorization, what) in new[]
        {
            (Hmac(key, nonce, now), "a reused nonce"),
            (Hmac(key, Guid.NewGuid().ToString("D"), now - 301), "301 s in the past"),
            (Hmac(key, Guid.NewGuid().ToString("D"), now + 301), "301 s in the future"),
            (Hmac(wrong, Guid.NewGuid().ToString("D"), now), "the wrong private key"),
            ($"Hmac {key.PublicKey}:{Guid.NewGuid():D}:{now}", "three parts"),
            ("Bearer " + token, "not an HMAC"),
        })
        {
            using var refused = await ExchangeAsync(service, authorization);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), what);
        }

        using (var revoke = await service.Operator.DeleteAsync($"/v1/api-keys/{key.Id}"))
        {
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var afterRevoke = await SendAsync(service, Operations[5], Bearer);
        Assert.That(afterRevoke.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a token dies with its key");
        using var exchangeAfterRevoke = await ExchangeAsync(service, Hmac(key, Guid.NewGuid().ToString("D"), now));
        Assert.That(exchangeAfterRevoke.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SecretsAreNotStoredInClearText()
    {
        var database = await CreateDatabaseAsync("secrets");
        await using var service = await database.StartServiceAsync();
        var key = await CreateKeyAsync(service, "secret-keeper", OperatorRoles.Admin);
        using var created = await service.Operator.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://example.com/hook", events = new[] { "transaction.updated" } });
        var endpoint = await TestService.JsonAsync(created);
        var secret = endpoint.GetProperty("secret").GetString()!;
        using var rotated = await service.Operator.PostAsync($"/v1/webhook-endpoints/{endpoint.GetProperty("id").GetString()}/rotate-secret", null);
        var newSecret = (await TestService.JsonAsync(rotated)).GetProperty("secret").GetString()!;
        using var exchanged = await ExchangeAsync(service, Hmac(key, Guid.NewGuid().ToString("D"), DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var token = (await TestService.JsonAsync(exchanged)).GetProperty("accessToken").GetString()!;

        var stored = await database.QueryAsync<(string Secret, string? Previous)>("SELECT secret, previous_secret FROM webhook_endpoints WHERE kind = 'webhook'");
        Assert.That(stored.Single().Secret, Does.StartWith("dp1:").And.Not.Contains(newSecret).And.Not.Contains(newSecret["whsec_".Length..]));
        Assert.That(stored.Single().Previous, Does.StartWith("dp1:").And.Not.Contains(secret["whsec_".Length..]));
        var keyRow = await database.QueryAsync<(string PrivateKey, string KeyHash)>("SELECT private_key, key_hash FROM api_keys WHERE id = @id", new { id = key.Id });
        Assert.That(keyRow.Single().PrivateKey, Does.StartWith("dp1:").And.Not.Contains(key.PrivateKey));
        Assert.That(keyRow.Single().KeyHash, Is.Not.EqualTo(key.PrivateKey).And.Length.EqualTo(64));
        var tokens = await database.QueryAsync<string>("SELECT token_hash FROM access_tokens");
        Assert.That(tokens, Has.None.EqualTo(token).And.All.Length.EqualTo(64));
        var audit = await database.QueryAsync<(string? Before, string? After)>("SELECT before_json, after_json FROM audit_log");
        Assert.That(audit.SelectMany(a => new[] { a.Before ?? "", a.After ?? "" }), Has.None.Contains("whsec_").And.None.Contains(key.PrivateKey).And.None.Contains(token));
    }

    [Test]
    public async Task EveryOperatorChangeIsAuditedWithWhoDidItAndDeletedEndpointsStayReadable()
    {
        var database = await CreateDatabaseAsync("audit");
        await using var service = await database.StartServiceAsync();
        var key = await CreateKeyAsync(service, "alice", OperatorRoles.Admin);
        var alice = new HttpClient { BaseAddress = service.Address };
        alice.DefaultRequestHeaders.Add("X-Api-Key", key.PrivateKey);

        (await alice.PutAsync("/v1/accounts/ACC-9/controls", Json("""{"status":"ACTIVE","max_transaction_amount":500}"""))).Dispose();
        (await alice.PutAsync("/v1/accounts/ACC-9/controls", Json("""{"status":"BLOCKED"}"""))).Dispose();
        using var created = await alice.PostAsync("/v1/webhook-endpoints", Json("""{"url":"https://example.com/h","events":["transaction.updated"]}"""));
        var endpointId = (await TestService.JsonAsync(created)).GetProperty("id").GetString()!;
        (await alice.PostAsync($"/v1/webhook-endpoints/{endpointId}/rotate-secret", null)).Dispose();
        (await alice.DeleteAsync($"/v1/webhook-endpoints/{endpointId}")).Dispose();
        (await alice.PutAsync("/v1/instruction-links/T9", Json("""{"order_ref":"ORD-9","instruction_ref":"INS-9"}"""))).Dispose();
        (await alice.DeleteAsync("/v1/instruction-links/T9")).Dispose();
        var other = await CreateKeyAsync(service, "bob", OperatorRoles.AccountRead);
        (await alice.DeleteAsync($"/v1/api-keys/{other.Id}")).Dispose();

        var entries = (await service.GetJsonOrNullAsync("/v1/audit?limit=1000"))!.Value.GetProperty("entries").EnumerateArray().ToList();
        Assert.That(entries.Select(e => e.GetProperty("action").GetString()), Is.EqualTo(new[]
        {
            "api_key.create", "api_key.create", "controls.put", "controls.put", "webhook_endpoint.create", "webhook_endpoint.rotate_secret", "webhook_endpoint.delete",
            "instruction_link.put", "instruction_link.delete", "api_key.create", "api_key.revoke",
        }));
        Assert.That(entries.Select(e => e.GetProperty("key_id").GetString()), Has.All.Not.Null.And.All.Not.Empty, "every entry names a key");
        Assert.That((entries[0].GetProperty("key_id").GetString(), entries[0].GetProperty("key_name").GetString()), Is.EqualTo(("bootstrap", "bootstrap")),
            "the bootstrap key made the named admin key (the test's operator key)");
        Assert.That(entries[0].GetProperty("after").GetProperty("name").GetString(), Is.EqualTo("test-admin"));
        Assert.That(entries[1].GetProperty("key_name").GetString(), Is.EqualTo("test-admin"), "the named admin key made alice");
        var byAlice = entries.Skip(2).Take(7).Append(entries[10]).ToList();
        Assert.That(byAlice.Select(e => e.GetProperty("key_name").GetString()), Has.All.EqualTo("alice"));
        Assert.That(byAlice.Select(e => e.GetProperty("key_id").GetString()), Has.All.EqualTo(key.Id));
        Assert.That(entries[9].GetProperty("key_name").GetString(), Is.EqualTo("test-admin"), "the named admin key made bob");
        Assert.That(entries[2].GetProperty("before").ValueKind, Is.EqualTo(JsonValueKind.Null), "no controls before the first put");
        Assert.That(entries[3].GetProperty("before").GetProperty("max_transaction_amount").GetInt64(), Is.EqualTo(500));
        Assert.That(entries[3].GetProperty("after").GetProperty("status").GetString(), Is.EqualTo("BLOCKED"));
        Assert.That(entries.Select(e => e.GetProperty("trace_id").GetString()), Has.All.Not.Empty.And.All.Not.Null);

        var forAccount = (await service.GetJsonOrNullAsync("/v1/audit?target=account:ACC-9"))!.Value.GetProperty("entries");
        Assert.That(forAccount.GetArrayLength(), Is.EqualTo(2));

        Assert.That(await service.GetJsonOrNullAsync($"/v1/webhook-endpoints/{endpointId}"), Is.Null, "deleted: gone from the API");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints WHERE id = @endpointId AND deleted_at IS NOT NULL", new { endpointId }), Is.EqualTo(1),
            "but kept, so its history stays readable");
    }

    [Test]
    public async Task SecretsMoveOffTheDatabaseRingToAFolderAndTheDatabaseRingIsDeleted()
    {
        var database = await CreateDatabaseAsync("ringmove");
        Key key;
        string webhookSecret;
        string keyStoredBefore;
        // An older installation: Development, the key ring in the database.
        await using (var before = await database.StartServiceAsync(settings: new() { ["__environment"] = "Development", ["Orian:DataProtection:KeysFolder"] = "" }))
        {
            key = await CreateKeyAsync(before, "script", OperatorRoles.Admin);
            using var created = await before.Operator.PostAsync("/v1/webhook-endpoints", Json("""{"url":"https://example.com/h","events":["transaction.updated"]}"""));
            webhookSecret = (await TestService.JsonAsync(created)).GetProperty("secret").GetString()!;
            Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"), Is.GreaterThan(0));
            keyStoredBefore = (await database.QueryAsync<string>("SELECT private_key FROM api_keys WHERE id = @id", new { id = key.Id })).Single();
        }

        var folder = Path.Combine(Path.GetTempPath(), $"orian-ring-{Guid.NewGuid():N}");
        await using var after = await database.StartServiceAsync(settings: new() { ["Orian:DataProtection:KeysFolder"] = folder });

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"), Is.Zero, "the database no longer holds the ring");
        Assert.That(Directory.GetFiles(folder, "key-*.xml"), Is.Not.Empty);
        var keyStoredAfter = (await database.QueryAsync<string>("SELECT private_key FROM api_keys WHERE id = @id", new { id = key.Id })).Single();
        Assert.That(keyStoredAfter, Does.StartWith("dp1:").And.Not.EqualTo(keyStoredBefore), "written again under the folder's ring");

        // Still usable: the HMAC exchange needs the private key, and the webhook secret reads back.
        using var exchanged = await ExchangeAsync(after, Hmac(key, Guid.NewGuid().ToString("D"), DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var secrets = after.Services.GetRequiredService<Orian.Storage.OrianStorage>().Secrets;
        var storedSecret = (await database.QueryAsync<string>("SELECT secret FROM webhook_endpoints WHERE kind = 'webhook'")).Single();
        Assert.That(secrets.Unprotect(storedSecret), Is.EqualTo(webhookSecret));

        // Sealed: a value under the deleted ring, or in clear, is no longer read.
        Assert.That(() => secrets.Unprotect(keyStoredBefore), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
        Assert.That(() => secrets.Unprotect(webhookSecret), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
    }

    [Test]
    public async Task TheKeyRingInItsFolderIsEncryptedWithTheConfiguredCertificate()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"orian-ring-{Guid.NewGuid():N}");
        var certificates = TestCertificates.Instance;
        var settings = new Dictionary<string, string?>
        {
            ["Orian:DataProtection:KeysFolder"] = folder,
            ["Orian:DataProtection:CertificatePath"] = certificates.KeyRingCertificatePath,
            ["Orian:DataProtection:CertificatePassword"] = TestCertificates.KeyRingPassword,
        };
        var database = await CreateDatabaseAsync("ringcert");
        Key key;
        await using (var first = await database.StartServiceAsync(settings: settings))
        {
            key = await CreateKeyAsync(first, "script", OperatorRoles.Admin);
        }

        var ring = string.Concat(Directory.GetFiles(folder, "key-*.xml").Select(File.ReadAllText));
        Assert.That(ring, Does.Contain("EncryptedData").And.Not.Contain("<masterKey"), "no key in clear in the folder");

        // A restart reads the encrypted ring: the private key still decrypts.
        await using var second = await database.StartServiceAsync(settings: settings);
        using var exchanged = await ExchangeAsync(second, Hmac(key, Guid.NewGuid().ToString("D"), DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.That(exchanged.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task TheBootstrapKeyOnlyCreatesNamedAdminKeys()
    {
        await using var service = await (await CreateDatabaseAsync("bootstrap")).StartServiceAsync();
        var bootstrap = ApiKey(TestService.ApiKey);
        foreach (var call in Operations.Where(c => !(c.Method == HttpMethod.Post && c.Path == "/v1/api-keys")))
        {
            using var refused = await SendAsync(service, call, bootstrap);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{call.Method} {call.Path}");
        }

        using (var narrower = await SendAsync(service, new(HttpMethod.Post, "/v1/api-keys", """{"name":"reader","roles":["orian-account-read"]}""", OperatorRoles.Admin), bootstrap))
        {
            Assert.That(narrower.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await narrower.Content.ReadAsStringAsync(), Does.Contain("admin keys only"));
        }

        using (var admin = await SendAsync(service, new(HttpMethod.Post, "/v1/api-keys", """{"name":"second admin","roles":["orian-admin"]}""", OperatorRoles.Admin), bootstrap))
        {
            Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        var entries = (await service.GetJsonOrNullAsync("/v1/audit?limit=1000"))!.Value.GetProperty("entries").EnumerateArray().ToList();
        Assert.That(entries.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("key_id").GetString())),
            Is.EqualTo(new[] { ("api_key.create", "bootstrap"), ("api_key.create", "bootstrap") }), "only the two admin keys were made, both under the key id 'bootstrap'");
    }

    [Test]
    public async Task TheBootstrapKeyCanBeTurnedOff()
    {
        var database = await CreateDatabaseAsync("nobootstrap");
        await using var service = await database.StartServiceAsync(settings: new() { ["Orian:Admin:BootstrapEnabled"] = "false" });
        using var refused = await SendAsync(service, new(HttpMethod.Post, "/v1/api-keys", """{"name":"x","roles":["orian-admin"]}""", OperatorRoles.Admin), ApiKey(TestService.ApiKey));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM api_keys"), Is.Zero);

        // Outside Development no bootstrap key is needed once it is off.
        await using var production = await (await CreateDatabaseAsync("nobootstrap-prod")).StartServiceAsync(
            settings: new() { ["Orian:Admin:BootstrapEnabled"] = "false", ["Orian:Admin:ApiKey"] = "", ["__environment"] = "Production" });
        using var status = await production.Anonymous.GetAsync("/health/live");
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AChangeThatFailsLeavesNoAuditEntry()
    {
        var database = await CreateDatabaseAsync("nochange");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        var who = Operators.Test(DateTimeOffset.UtcNow);
        // The schema refuses a non-positive limit; the API never sends one, so the store is asked directly.
        var invalid = new Orian.Storage.ControlsRow { AccountNo = "ACC-X", Status = "ACTIVE", MaxTransactionAmount = 0, UpdatedAt = who.At };
        Assert.That(() => database.Storage.Authorisation.PutControlsAsync(invalid, who, CancellationToken.None), Throws.InstanceOf<System.Data.Common.DbException>());
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM audit_log"), Is.Zero);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM account_controls"), Is.Zero);

        var valid = new Orian.Storage.ControlsRow { AccountNo = "ACC-X", Status = "ACTIVE", MaxTransactionAmount = 10, UpdatedAt = who.At };
        await database.Storage.Authorisation.PutControlsAsync(valid, who, CancellationToken.None);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM audit_log"), Is.EqualTo(1), "the same call that commits writes its entry");
    }

    [Test]
    public async Task NoSecretReachesALogLineAtAnyLevel()
    {
        var logs = new CapturedLogs();
        await using var service = await (await CreateDatabaseAsync("logs")).StartServiceAsync(logs.AddTo);
        var key = await CreateKeyAsync(service, "logged", OperatorRoles.Admin);
        using var exchanged = await ExchangeAsync(service, Hmac(key, Guid.NewGuid().ToString("D"), DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var token = (await TestService.JsonAsync(exchanged)).GetProperty("accessToken").GetString()!;
        using var created = await service.Operator.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://example.com/hook", events = new[] { "transaction.updated" } });
        var secret = (await TestService.JsonAsync(created)).GetProperty("secret").GetString()!;
        using (var refused = await service.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/accounts/ACC-1") { Headers = { { "X-Api-Key", key.PrivateKey + "x" } } }))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Assert.That(logs.Lines, Is.Not.Empty, "the capture works");
        Assert.That(logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)), Is.Empty,
            "a fresh database starts cleanly: the key ring is read after the schema exists");
        Assert.That(logs.All, Does.Not.Contain(key.PrivateKey).And.Not.Contain(token).And.Not.Contain(secret["whsec_".Length..]).And.Not.Contain(TestService.ApiKey));
    }

    [Test]
    public async Task ASecretAnOlderBuildStoredInClearIsEncryptedAtStartUp()
    {
        var database = await CreateDatabaseAsync("legacy-secret");
        await using (var first = await database.StartServiceAsync())
        {
            using var created = await first.Operator.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "https://example.com/hook", events = new[] { "transaction.updated" } });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        const string clear = "whsec_b2xkLWJ1aWxkLXNlY3JldC1ieXRlcy0wMDAwMDAwMA==";
        await database.ExecuteAsync("UPDATE webhook_endpoints SET secret = @clear WHERE kind = 'webhook'", new { clear });
        await using (var second = await database.StartServiceAsync())
        {
            var stored = await database.ScalarAsync<string>("SELECT secret FROM webhook_endpoints WHERE kind = 'webhook'");
            Assert.That(stored, Does.StartWith("dp1:").And.Not.Contains(clear["whsec_".Length..]));
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
