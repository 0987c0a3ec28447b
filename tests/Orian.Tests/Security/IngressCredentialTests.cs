using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Orian.Security;
using Orian.Tests.Support;

namespace Orian.Tests.Security;

/// <summary>PPS's credentials and signing secrets rotate without downtime (several valid at once),
/// and webhook URLs that point inside are refused at registration over the API.</summary>
public sealed class IngressCredentialTests
{
    [Test]
    public async Task TwoCredentialPairsAndTwoSigningSecretsAreValidAtOnce()
    {
        var oldKey = RandomNumberGenerator.GetBytes(32);
        var newKey = RandomNumberGenerator.GetBytes(32);
        await using var service = await TestService.StartSqliteAsync(settings: new()
        {
            ["Orian:Ingress:Credentials:0:Username"] = "pps-next",
            ["Orian:Ingress:Credentials:0:Password"] = "pps-next-password",
            ["Orian:Ingress:SigningSecret"] = StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(oldKey),
            ["Orian:Ingress:SigningSecrets:0"] = StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(newKey),
        });

        async Task<HttpStatusCode> PutAsync(string id, string user, string password, byte[] key)
        {
            var txn = new Txn { Id = id };
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/transactions/{id}") { Content = new StringContent(txn.Json, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            request.Headers.Add("webhook-id", "msg_" + id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(key, "msg_" + id, timestamp, Encoding.UTF8.GetBytes(txn.Json)));
            using var response = await service.Anonymous.SendAsync(request);
            return response.StatusCode;
        }

        Assert.That(await PutAsync("C1", TestService.PpsUser, TestService.PpsPassword, oldKey), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await PutAsync("C2", "pps-next", "pps-next-password", newKey), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await PutAsync("C3", "pps-next", TestService.PpsPassword, newKey), Is.EqualTo(HttpStatusCode.Unauthorized), "halves of two pairs are not a pair");
        Assert.That(await PutAsync("C4", "pps-next", "pps-next-password", RandomNumberGenerator.GetBytes(32)), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("https://2130706433/hook")]
    [TestCase("https://0x7f000001/hook")]
    [TestCase("https://0177.0.0.1/hook")]
    [TestCase("https://127.1/hook")]
    [TestCase("https://[::1]/hook")]
    [TestCase("https://[::ffff:127.0.0.1]/hook")]
    [TestCase("https://169.254.169.254/latest/meta-data")]
    [TestCase("https://10.0.0.1/hook")]
    [TestCase("https://192.168.1.1/hook")]
    [TestCase("https://172.16.0.1/hook")]
    [TestCase("https://100.64.0.1/hook")]
    [TestCase("https://[fd00::1]/hook")]
    [TestCase("https://0.0.0.0/hook")]
    [TestCase("https://someone:s3cr3t-value@example.com/hook")]
    [TestCase("https://example.com/hook#x")]
    [TestCase("http://example.com/hook")]
    public async Task AWebhookUrlPointingInsideIsRefusedAtRegistrationAndNothingIsStored(string url)
    {
        await using var service = await TestService.StartSqliteAsync(settings: new()
        {
            ["Orian:Outbox:AllowInsecureHttp"] = "false",
            ["Orian:Outbox:AllowedPrivateNetworks"] = "",
        });
        using var response = await service.Operator.PostAsJsonAsync("/v1/webhook-endpoints", new { url, events = new[] { "transaction.updated" } });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await TestService.JsonAsync(response);
        Assert.That(problem.GetRawText(), Does.Contain("url").And.Not.Contain("s3cr3t"), "the problem names the field and never echoes credentials");
        Assert.That((await service.GetJsonOrNullAsync("/v1/webhook-endpoints"))!.Value.GetProperty("endpoints").GetArrayLength(), Is.Zero);
    }
}
