using Microsoft.AspNetCore.DataProtection;

namespace Orian.Storage.Sql;

/// <summary>Encrypts the secrets Orian must be able to read back (webhook signing secrets, API key
/// private keys) before they reach the database, and decrypts them for use.</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    string Unprotect(string stored);

    /// <summary>Whether a stored value is ciphertext (false for a secret stored in clear by an older build).</summary>
    bool IsProtected(string stored);
}

/// <summary>
/// <see cref="ISecretProtector"/> over ASP.NET Core Data Protection (authenticated encryption, keys
/// rotated by the key ring every 90 days and kept for decryption). Stored values carry a <c>dp1:</c>
/// prefix; a value without it is a secret an older build stored in clear, read as it is until the
/// start-up pass encrypts it.
/// </summary>
public sealed class DataProtectionSecrets(IDataProtectionProvider provider) : ISecretProtector
{
    private const string Prefix = "dp1:";
    private readonly IDataProtector _protector = provider.CreateProtector("Orian.Storage.Secrets.v1");

    public string Protect(string secret) => Prefix + _protector.Protect(secret);

    public string Unprotect(string stored) => IsProtected(stored) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;

    public bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>A protector with an in-memory key ring, for tools and tests that open storage
    /// directly: what it encrypts is readable only by the same process.</summary>
    public static DataProtectionSecrets Ephemeral() => new(new EphemeralDataProtectionProvider());
}
