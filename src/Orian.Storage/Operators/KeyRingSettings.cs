using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Orian.Storage;

/// <summary><c>Orian:DataProtection</c>: where the key ring that encrypts stored secrets lives.</summary>
/// <param name="Folder"><c>KeysFolder</c>: the ring's folder, shared by every instance (a volume only
/// the service can read, backed up on its own, not with the database).</param>
/// <param name="CertificatePath"><c>CertificatePath</c>: a PKCS#12 file (RSA, with its private key) the
/// keys in the folder are encrypted with.</param>
public sealed record KeyRingSettings(string? Folder, string? CertificatePath, string? CertificatePassword)
{
    public const string Section = "Orian:DataProtection";

    public static KeyRingSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        static string? Value(string? v) => string.IsNullOrWhiteSpace(v) ? null : v;
        return new(Value(section["KeysFolder"]), Value(section["CertificatePath"]), section["CertificatePassword"]);
    }

    public X509Certificate2? LoadCertificate() =>
        CertificatePath is null ? null : X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>What is wrong with these settings, each naming its setting; empty when they hold.</summary>
    public List<string> Problems(bool development)
    {
        var problems = new List<string>();
        if (Folder is null && !development)
        {
            problems.Add("Orian:DataProtection:KeysFolder (env Orian__DataProtection__KeysFolder) is required outside Development: the key ring that "
                + "encrypts stored secrets must not sit in the database it protects.");
        }

        if (CertificatePath is not null && Folder is null)
        {
            problems.Add("Orian:DataProtection:CertificatePath needs Orian:DataProtection:KeysFolder: it encrypts the keys kept there.");
        }

        if (CertificatePath is not null)
        {
            try
            {
                using var certificate = LoadCertificate()!;
                if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
                {
                    problems.Add("Orian:DataProtection:CertificatePath must hold an RSA certificate with its private key (PKCS#12).");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                problems.Add($"Orian:DataProtection:CertificatePath (env Orian__DataProtection__CertificatePath) could not be read: {e.Message}");
            }
        }

        return problems;
    }
}
