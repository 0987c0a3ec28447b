using System.Security.Cryptography;
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

    /// <summary>Whether a stored value must be written again: in clear, or encrypted under a key ring
    /// this build no longer keeps (the one an older build kept in the database).</summary>
    bool NeedsReprotecting(string stored);

    /// <summary>Called once every stored secret has been written under the current ring: from then on a
    /// value in clear, or under the old ring, is refused.</summary>
    void Seal();

    /// <summary>Whether secrets are still read under the ring an older build kept in the database (until
    /// <see cref="Seal"/>), so that ring is to be deleted once they have been written again.</summary>
    bool ReadsPreviousRing { get; }

    /// <summary>Stops reading the ring an older build kept in the database (it holds no key): every
    /// stored value is then judged by the current ring alone, without a trial decryption each.</summary>
    void ForgetPreviousRing();
}

/// <summary>
/// <see cref="ISecretProtector"/> over ASP.NET Core Data Protection (authenticated encryption, keys
/// rotated by the key ring every 90 days and kept for decryption). Stored values carry a <c>dp1:</c>
/// prefix. Until <see cref="Seal"/>, two kinds of older value are still read: one without the prefix
/// (a secret an older build stored in clear) and one under <paramref name="previous"/> (the key ring an
/// older build kept in the database); the start-up pass writes both again under the current ring and
/// then seals, after which either is a <see cref="CryptographicException"/>.
/// </summary>
public sealed class DataProtectionSecrets(IDataProtectionProvider provider, IDataProtectionProvider? previous = null) : ISecretProtector
{
    private const string Prefix = "dp1:";
    private const string Purpose = "Orian.Storage.Secrets.v1";
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);
    private IDataProtector? _previous = previous?.CreateProtector(Purpose);
    private volatile bool _sealed;

    public string Protect(string secret) => Prefix + _protector.Protect(secret);

    public string Unprotect(string stored)
    {
        if (!IsProtected(stored))
        {
            return _sealed ? throw new CryptographicException("A stored secret is not encrypted; secrets in clear are no longer read.") : stored;
        }

        try
        {
            return _protector.Unprotect(stored[Prefix.Length..]);
        }
        catch (CryptographicException) when (Volatile.Read(ref _previous) is { } previousRing)
        {
            return previousRing.Unprotect(stored[Prefix.Length..]);
        }
    }

    public bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    public bool NeedsReprotecting(string stored)
    {
        if (!IsProtected(stored))
        {
            return true;
        }

        if (Volatile.Read(ref _previous) is null)
        {
            return false;
        }

        try
        {
            _protector.Unprotect(stored[Prefix.Length..]);
            return false;
        }
        catch (CryptographicException)
        {
            return true;
        }
    }

    public bool ReadsPreviousRing => Volatile.Read(ref _previous) is not null;

    public void ForgetPreviousRing() => Volatile.Write(ref _previous, null);

    public void Seal()
    {
        ForgetPreviousRing();
        _sealed = true;
    }

    /// <summary>A protector with an in-memory key ring, for tools and tests that open storage
    /// directly: what it encrypts is readable only by the same process.</summary>
    public static DataProtectionSecrets Ephemeral() => new(new EphemeralDataProtectionProvider());
}
