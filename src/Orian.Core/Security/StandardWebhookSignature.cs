using System.Security.Cryptography;
using System.Text;

namespace Orian.Security;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + Base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
/// where the key is the Base64 part of a <c>whsec_...</c> secret. Used to verify what PPS sends us and,
/// later, to sign what we send tenants.
/// </summary>
public static class StandardWebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>How far a message's timestamp may be from our clock, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static byte[] KeyFromSecret(string secret)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            return Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new FormatException($"A signing secret must be '{SecretPrefix}' followed by Base64.");
        }
    }

    public static string Sign(byte[] key, string id, long timestampSeconds, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, SignedContent(id, timestampSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), body), mac);
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>The most digits a timestamp may have: seconds since 1970 fit in ten until 2286.</summary>
    private const int MaxTimestampDigits = 12;

    /// <summary>True when <paramref name="signatureHeader"/> (space-separated <c>v1,...</c> entries)
    /// holds a valid signature and the timestamp is within <see cref="Tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(byte[] key, string? id, string? timestamp, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        // The timestamp is verified as the bytes that were sent: plain ASCII digits (no sign, no
        // spaces, no leading zeros), compared in whole seconds without building a date, so neither
        // an extreme value nor a reformatted one ("+000...") can reach the HMAC or throw.
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatureHeader) || !TryParseTimestamp(timestamp, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)Tolerance.TotalSeconds)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key, SignedContent(id, timestamp!, body), expected);
        Span<byte> given = stackalloc byte[64];
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("v1,", StringComparison.Ordinal)
                && Convert.TryFromBase64String(part[3..], given, out var written)
                && written == 32
                && CryptographicOperations.FixedTimeEquals(given[..32], expected))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseTimestamp(string? text, out long seconds)
    {
        seconds = 0;
        if (string.IsNullOrEmpty(text) || text.Length > MaxTimestampDigits || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            seconds = seconds * 10 + (c - '0');
        }

        return true;
    }

    private static byte[] SignedContent(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }
}
