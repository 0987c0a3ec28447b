using System.Security.Cryptography.X509Certificates;
using Orian.Service.Configuration;

namespace Orian.Service.Security;

/// <summary>Reading the configured certificates, and the one chain check every TLS peer goes through:
/// the peer's certificate must chain to a configured authority (and only to it).</summary>
internal static class Certificates
{
    /// <summary>The server certificate with its private key.</summary>
    public static X509Certificate2 LoadServer(TlsOptions tls)
    {
        var path = tls.CertificatePath!;
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, tls.CertificatePassword);
        }

        return string.IsNullOrEmpty(tls.CertificatePassword)
            ? X509Certificate2.CreateFromPemFile(path, tls.KeyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, tls.CertificatePassword, tls.KeyPath);
    }

    /// <summary>Every certificate in a PEM file of authorities.</summary>
    public static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"'{path}' holds no PEM certificate.");
        }

        return authorities;
    }

    /// <summary>Whether <paramref name="certificate"/> is valid now and chains to one of
    /// <paramref name="authorities"/>, trusting nothing else (not the machine's store).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection authorities, X509Certificate2Collection? intermediates = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Private authorities rarely publish revocation lists a service can reach (egress is closed).
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        return chain.Build(certificate);
    }

    /// <summary>Why the PEM file of authorities at <paramref name="path"/> (the setting
    /// <paramref name="setting"/>) cannot be used, or null when it can or is not set.</summary>
    public static string? AuthoritiesProblem(string? path, string setting)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            LoadAuthorities(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            return $"{setting} (env {setting.Replace(":", "__", StringComparison.Ordinal)}) could not be read: {e.Message}";
        }
    }

    /// <summary>What is wrong with the TLS settings, each naming its setting; empty when they hold.</summary>
    public static List<string> Problems(TlsOptions tls)
    {
        var problems = new List<string>();
        if (tls.Enabled)
        {
            try
            {
                using var server = LoadServer(tls);
                if (!server.HasPrivateKey)
                {
                    problems.Add("Orian:Tls:CertificatePath (env Orian__Tls__CertificatePath) has no private key: set Orian__Tls__KeyPath or use a PKCS#12 file.");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                problems.Add($"Orian:Tls:CertificatePath (env Orian__Tls__CertificatePath) could not be read: {e.Message}");
            }
        }

        if (AuthoritiesProblem(tls.ClientCertificateAuthorityPath, "Orian:Tls:ClientCertificateAuthorityPath") is { } authorities)
        {
            problems.Add(authorities);
        }

        if (tls.ClientCertificateRequired && (!tls.Enabled || string.IsNullOrWhiteSpace(tls.ClientCertificateAuthorityPath)))
        {
            problems.Add("Orian:Ingress:RequireClientCertificate needs HTTPS: set Orian__Tls__CertificatePath and Orian__Tls__ClientCertificateAuthorityPath.");
        }

        return problems;
    }
}
