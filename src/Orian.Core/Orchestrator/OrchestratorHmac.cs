using System.Security.Cryptography;
using System.Text;

namespace Orian.Orchestrator;

/// <summary>
/// The Payments Orchestrator's request HMAC (the formula in <c>docs/outbox.md</c>):
/// <c>Authorization: Hmac {publicKey}:{nonce}:{epochSeconds}:{signature}</c> where
/// <c>signature = Base64(HMACSHA256(Base64Decode(privateKey), "{publicKey}:{nonce}:{epochSeconds}:{hashedBody}"))</c>
/// and <c>hashedBody = Base64(SHA256(body))</c>, or the empty string when there is no body.
/// </summary>
public static class OrchestratorHmac
{
    public static string HashBody(ReadOnlySpan<byte> body) =>
        body.IsEmpty ? "" : Convert.ToBase64String(SHA256.HashData(body));

    public static string Signature(byte[] privateKey, string publicKey, string nonce, long epochSeconds, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(HMACSHA256.HashData(privateKey, Encoding.UTF8.GetBytes($"{publicKey}:{nonce}:{epochSeconds}:{HashBody(body)}")));

    /// <summary>The value of the <c>Authorization</c> header.</summary>
    public static string Header(byte[] privateKey, string publicKey, string nonce, long epochSeconds, ReadOnlySpan<byte> body) =>
        $"Hmac {publicKey}:{nonce}:{epochSeconds}:{Signature(privateKey, publicKey, nonce, epochSeconds, body)}";
}
