using System.Net;
using System.Security.Cryptography;
using Orian.Orchestrator;
using Orian.Tests.Support;

namespace Orian.Tests.Outbox;

/// <summary>The stand-in Orchestrator is only a fair judge if it is strict: it refuses a reused
/// nonce, a request outside the 5-minute window, a wrong key, and an update without a live token.</summary>
public sealed class OrchestratorServerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    private static async Task<HttpStatusCode> IdentityAsync(OrchestratorServer server, string authorization)
    {
        using var client = TestCertificates.Instance.HttpsClient(new Uri(server.BaseUrl));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/identity/hmac") { Content = new ByteArrayContent([]) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Test]
    public async Task AValidHeaderIsAcceptedOnceAndItsNonceNeverAgain()
    {
        await using var server = await OrchestratorServer.StartAsync(new ManualTimeProvider(Now));
        var key = Convert.FromBase64String(server.PrivateKeyBase64);
        var header = OrchestratorHmac.Header(key, OrchestratorServer.PublicKey, Guid.NewGuid().ToString(), Now.ToUnixTimeSeconds(), []);

        Assert.That(await IdentityAsync(server, header), Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await IdentityAsync(server, header), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(server.Refusals, Is.EqualTo(new[] { "identity: the nonce was used before" }));
    }

    [TestCase(-301)]
    [TestCase(301)]
    public async Task ATimestampOutsideFiveMinutesIsRefused(int offsetSeconds)
    {
        await using var server = await OrchestratorServer.StartAsync(new ManualTimeProvider(Now));
        var key = Convert.FromBase64String(server.PrivateKeyBase64);
        var header = OrchestratorHmac.Header(key, OrchestratorServer.PublicKey, Guid.NewGuid().ToString(), Now.ToUnixTimeSeconds() + offsetSeconds, []);
        Assert.That(await IdentityAsync(server, header), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(server.Refusals.Single(), Does.Contain("5-minute window"));
    }

    [Test]
    public async Task AWrongKeyOrPublicKeyIsRefused()
    {
        await using var server = await OrchestratorServer.StartAsync(new ManualTimeProvider(Now));
        var epoch = Now.ToUnixTimeSeconds();
        Assert.That(await IdentityAsync(server, OrchestratorHmac.Header(RandomNumberGenerator.GetBytes(32), OrchestratorServer.PublicKey, "n-1", epoch, [])),
            Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await IdentityAsync(server, OrchestratorHmac.Header(Convert.FromBase64String(server.PrivateKeyBase64), "pk_someone_else", "n-2", epoch, [])),
            Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(server.IdentityCalls, Is.Zero);
    }

    [Test]
    public async Task AnUpdateWithoutALiveTokenIsRefused()
    {
        await using var server = await OrchestratorServer.StartAsync(new ManualTimeProvider(Now));
        using var client = TestCertificates.Instance.HttpsClient(new Uri(server.BaseUrl));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2/order-management/O/instruction/I/status") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer tok_made_up");
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(server.Updates, Is.Empty);
    }
}
