using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orian.Configuration;

namespace Orian.Storage;

/// <summary><c>Orian:DataProtection</c>: where the key ring that encrypts stored secrets lives.</summary>
public sealed class KeyRingOptions : IValidatableObject, IDevelopmentAware
{
    public const string Section = "Orian:DataProtection";

    private bool _development;

    /// <summary>The ring's folder, shared by every instance (a volume only the service can read, backed up
    /// on its own, not with the database). Required outside Development.</summary>
    public string? KeysFolder { get; set; }

    /// <summary>A PKCS#12 file (RSA, with its private key) the keys in the folder are encrypted with.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    bool IDevelopmentAware.Development { get => _development; set => _development = value; }

    /// <summary><see cref="KeysFolder"/>, or null when it is unset or blank.</summary>
    public string? Folder => string.IsNullOrWhiteSpace(KeysFolder) ? null : KeysFolder;

    private string? Certificate => string.IsNullOrWhiteSpace(CertificatePath) ? null : CertificatePath;

    /// <summary>The section as configured now: the storage registration decides where the ring lives from
    /// it, before the service provider exists (it is validated with the rest at start-up).</summary>
    public static KeyRingOptions From(IConfiguration configuration) => configuration.GetSection(Section).Get<KeyRingOptions>() ?? new KeyRingOptions();

    public X509Certificate2? LoadCertificate() =>
        Certificate is null ? null : X509CertificateLoader.LoadPkcs12FromFile(Certificate, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>Whether the certificate, if one is named, can be used (read, RSA, with its private key).</summary>
    public bool CertificateUsable => CertificateProblem() is null;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (Folder is null && !_development)
        {
            yield return new("Orian:DataProtection:KeysFolder (env Orian__DataProtection__KeysFolder) is required outside Development: the key ring that "
                + "encrypts stored secrets must not sit in the database it protects.");
        }

        if (Certificate is not null && Folder is null)
        {
            yield return new("Orian:DataProtection:CertificatePath needs Orian:DataProtection:KeysFolder: it encrypts the keys kept there.");
        }

        if (CertificateProblem() is { } problem)
        {
            yield return new(problem);
        }
    }

    private string? CertificateProblem()
    {
        if (Certificate is null)
        {
            return null;
        }

        try
        {
            using var certificate = LoadCertificate()!;
            return certificate.HasPrivateKey && certificate.GetRSAPrivateKey() is not null
                ? null
                : "Orian:DataProtection:CertificatePath must hold an RSA certificate with its private key (PKCS#12).";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return $"Orian:DataProtection:CertificatePath (env Orian__DataProtection__CertificatePath) could not be read: {e.Message}";
        }
    }
}

[OptionsValidator]
internal sealed partial class KeyRingOptionsValidator : IValidateOptions<KeyRingOptions>;
