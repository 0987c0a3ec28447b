using System.Text;
using Microsoft.Extensions.Options;
using Orian.Security;
using Orian.Service.Configuration;

namespace Orian.Service.Security;

/// <summary>Checks that a request comes from PPS: HTTP Basic credentials always, and a Standard
/// Webhooks signature over the body when a signing secret is configured.</summary>
internal sealed class IngressAuthenticator(IOptions<IngressOptions> options, TimeProvider time)
{
    private readonly IngressOptions _options = options.Value;
    private readonly byte[]? _signingKey = string.IsNullOrEmpty(options.Value.SigningSecret)
        ? null
        : StandardWebhookSignature.KeyFromSecret(options.Value.SigningSecret);

    public bool HasValidCredentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[256];
        if (!Convert.TryFromBase64String(header.AsSpan(6).Trim().ToString(), decoded, out var length))
        {
            return false;
        }

        var pair = Encoding.UTF8.GetString(decoded[..length]);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        // Evaluate both comparisons, so a wrong user name costs as long as a wrong password.
        var userOk = SecretComparer.Matches(pair.AsSpan(0, colon), _options.Username);
        var passwordOk = SecretComparer.Matches(pair.AsSpan(colon + 1), _options.Password);
        return userOk & passwordOk;
    }

    public bool HasValidSignature(HttpRequest request, ReadOnlySpan<byte> body) =>
        _signingKey is null || StandardWebhookSignature.Verify(
            _signingKey,
            request.Headers["webhook-id"].ToString(),
            request.Headers["webhook-timestamp"].ToString(),
            request.Headers["webhook-signature"].ToString(),
            body,
            time.GetUtcNow());
}
