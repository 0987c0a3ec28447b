using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Orian.Tests.Support;

namespace Orian.Tests.Security;

/// <summary>
/// Kestrel serving HTTPS from a configured certificate (the run's own authority, PEM files as an
/// operator would configure them), and mutual TLS on the PPS surface: without a client certificate PPS
/// gets a 401, with one from another authority no handshake, while operators need none.
/// </summary>
public sealed class TlsTests
{
    private static readonly TestCertificates Certificates = TestCertificates.Instance;

    private static Dictionary<string, string?> Https(bool requireClientCertificate = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["__urls"] = "https://127.0.0.1:0",
            ["Orian:Tls:CertificatePath"] = Certificates.ServerCertificatePath,
            ["Orian:Tls:KeyPath"] = Certificates.ServerKeyPath,
        };
        if (requireClientCertificate)
        {
            settings["Orian:Tls:ClientCertificateAuthorityPath"] = Certificates.AuthorityPath;
            settings["Orian:Ingress:RequireClientCertificate"] = "true";
        }

        return settings;
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/transactions/{id}")
        {
            Content = new StringContent(new Txn { Id = id }.Json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = TestService.PpsCredentials;
        return await client.SendAsync(request);
    }

    [Test]
    public async Task TheServiceServesHttpsFromTheConfiguredCertificate()
    {
        await using var service = await TestService.StartSqliteAsync(settings: Https());
        Assert.That(service.Address.Scheme, Is.EqualTo("https"));

        using var client = Certificates.HttpsClient(service.Address);
        using var response = await PutAsync(client, "TLS-1");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

        // The same port does not speak plain HTTP.
        using var plain = new HttpClient { BaseAddress = new UriBuilder(service.Address) { Scheme = "http" }.Uri };
        Assert.That(async () => await plain.GetAsync("/health/live"), Throws.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task PpsMustPresentAClientCertificateFromTheConfiguredAuthorityOperatorsNeedNone()
    {
        await using var service = await TestService.StartSqliteAsync(settings: Https(requireClientCertificate: true));

        using (var withCertificate = Certificates.HttpsClient(service.Address, Certificates.Client))
        using (var accepted = await PutAsync(withCertificate, "MTLS-1"))
        {
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        }

        using (var withoutCertificate = Certificates.HttpsClient(service.Address))
        {
            using var refused = await PutAsync(withoutCertificate, "MTLS-2");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("client certificate"));

            using var operatorRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/transactions/MTLS-1");
            operatorRequest.Headers.Add("X-Api-Key", service.OperatorKey);
            using var operatorAnswer = await withoutCertificate.SendAsync(operatorRequest);
            Assert.That(operatorAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK), "operators are not asked for a certificate");
        }

        using (var rogue = Certificates.HttpsClient(service.Address, Certificates.RogueClient))
        {
            Assert.That(async () => await PutAsync(rogue, "MTLS-3"), Throws.InstanceOf<HttpRequestException>(),
                "a certificate from another authority fails the handshake");
        }

        using var check = Certificates.HttpsClient(service.Address);
        check.DefaultRequestHeaders.Add("X-Api-Key", service.OperatorKey);
        foreach (var refusedId in new[] { "MTLS-2", "MTLS-3" })
        {
            using var stored = await check.GetAsync($"/v1/transactions/{refusedId}");
            Assert.That(stored.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{refusedId} was not stored");
        }
    }

    [Test]
    public void AClientCertificateRequirementWithoutHttpsStopsStartUp()
    {
        var settings = new Dictionary<string, string?> { ["Orian:Ingress:RequireClientCertificate"] = "true" };
        Assert.That(() => TestService.StartSqliteAsync(settings: settings),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("RequireClientCertificate needs HTTPS"));
    }

    [Test]
    public void AnUnreadableCertificateStopsStartUpNamingTheSetting()
    {
        var settings = Https();
        settings["Orian:Tls:CertificatePath"] = Path.Combine(Certificates.Folder, "missing.pem");
        Assert.That(() => TestService.StartSqliteAsync(settings: settings),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Orian__Tls__CertificatePath"));
    }
}
