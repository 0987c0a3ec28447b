using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Tls</c>: HTTPS served by Kestrel itself. With a certificate configured, every
/// <c>https://</c> address in <c>--urls</c>/<c>ASPNETCORE_URLS</c> serves it (TLS 1.2 and 1.3 only); a
/// client-certificate authority makes the server ask for client certificates, which
/// <c>Orian:Ingress:RequireClientCertificate</c> then demands of PPS.</summary>
public sealed class TlsOptions : IValidatableObject
{
    public const string Section = "Orian:Tls";

    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> (not needed for PKCS#12).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM file of the authorities whose client certificates are accepted (PPS's). A client
    /// certificate that does not chain to one of them fails the handshake.</summary>
    public string? ClientCertificateAuthorityPath { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary><c>Orian:Ingress:RequireClientCertificate</c>, which needs this section's HTTPS and
    /// authorities: passed in by the host before validation (never bound from this section).</summary>
    internal bool ClientCertificateRequired { get; set; }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        Security.Certificates.Problems(this).Select(problem => new ValidationResult(problem));
}
