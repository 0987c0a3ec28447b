using System.Security.Cryptography;
using System.Text;

namespace Orian.Service.Security;

/// <summary>Compares a presented secret with the configured one in constant time. Both are hashed
/// first, so neither the content nor the length of the secret leaks through timing.</summary>
internal static class SecretComparer
{
    public static bool Matches(ReadOnlySpan<char> presented, string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return false; // nothing configured: nobody gets in
        }

        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToArray()), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(configured), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
