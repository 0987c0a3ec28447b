using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orian.Tests.Support;

/// <summary>
/// A private certificate authority made for the test run, with a server certificate for 127.0.0.1 and
/// localhost, a client certificate it issued, and a client certificate from another (untrusted)
/// authority; each written as PEM files in a folder of the run, as an operator would configure them.
/// </summary>
internal sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Shared = new(() => new TestCertificates());

    public static TestCertificates Instance => Shared.Value;

    public string Folder { get; }
    public X509Certificate2 Authority { get; }
    public string AuthorityPath => Path.Combine(Folder, "ca.pem");
    public string ServerCertificatePath => Path.Combine(Folder, "server.pem");
    public string ServerKeyPath => Path.Combine(Folder, "server.key");
    /// <summary>An RSA certificate with its key (PKCS#12, password <see cref="KeyRingPassword"/>) that
    /// encrypts the Data Protection key ring.</summary>
    public string KeyRingCertificatePath => Path.Combine(Folder, "key-ring.pfx");

    public const string KeyRingPassword = "key-ring-test-password";

    public X509Certificate2 Client { get; }
    public X509Certificate2 RogueClient { get; }

    private TestCertificates()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"orian-tls-{Environment.ProcessId}");
        Directory.CreateDirectory(Folder);
        var now = DateTimeOffset.UtcNow;
        Authority = CreateAuthority("CN=Orian Test CA", now);
        File.WriteAllText(AuthorityPath, Authority.ExportCertificatePem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var server = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        server.CertificateExtensions.Add(names.Build());
        server.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = server.Create(Authority, now.AddMinutes(-5), now.AddDays(2), RandomNumberGenerator.GetBytes(12));
        File.WriteAllText(ServerCertificatePath, issued.ExportCertificatePem());
        File.WriteAllText(ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());

        Client = CreateClient("CN=pps-client", Authority, now);
        using (var rsa = RSA.Create(2048))
        {
            var ring = new CertificateRequest("CN=Orian key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var ringCertificate = ring.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
            File.WriteAllBytes(KeyRingCertificatePath, ringCertificate.Export(X509ContentType.Pkcs12, KeyRingPassword));
        }

        using var rogueAuthority = CreateAuthority("CN=Someone Else CA", now);
        RogueClient = CreateClient("CN=pps-client", rogueAuthority, now);
    }

    /// <summary>An HttpClient that trusts only the test authority, optionally presenting a client certificate.</summary>
    public HttpClient HttpsClient(Uri baseAddress, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck, CustomTrustStore = { Authority } },
            },
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        return new HttpClient(handler) { BaseAddress = baseAddress };
    }

    private static X509Certificate2 CreateAuthority(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(3));
    }

    private static X509Certificate2 CreateClient(string subject, X509Certificate2 authority, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(authority, now.AddMinutes(-5), now.AddDays(2), RandomNumberGenerator.GetBytes(12));
        // Through PKCS#12 so the private key travels with the certificate on every platform.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
