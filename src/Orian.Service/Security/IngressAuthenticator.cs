using System.Text;
using Microsoft.Extensions.Options;
using Orian.Security;
using Orian.Service.Configuration;

namespace Orian.Service.Security;

/// <summary>Checks that a request comes from PPS: HTTP Basic credentials always, and a Standard
/// Webhooks signature over the body when a signing secret is configured.</summary>
internal sealed class IngressAuthenticator(IOptions<IngressOptions> options, TimeProvider time)
{
    private readonly (string Username, string Password)[] _credentials = options.Value.AllCredentials().ToArray();
    private readonly byte[][] _signingKeys = options.Value.AllSigningSecrets().Select(StandardWebhookSignature.KeyFromSecret).ToArray();

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

        // Every pair and both halves of each are compared, so what is wrong, and which pair is
        // valid, does not show in the time taken.
        var matched = false;
        foreach (var (username, password) in _credentials)
        {
            var userOk = SecretComparer.Matches(pair.AsSpan(0, colon), username);
            var passwordOk = SecretComparer.Matches(pair.AsSpan(colon + 1), password);
            matched |= userOk & passwordOk;
        }

        return matched;
    }

    public bool HasValidSignature(HttpRequest request, ReadOnlySpan<byte> body)
    {
        if (_signingKeys.Length == 0)
        {
            return true;
        }

        foreach (var key in _signingKeys)
        {
            if (StandardWebhookSignature.Verify(
                    key, request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
                    request.Headers["webhook-signature"].ToString(), body, time.GetUtcNow()))
            {
                return true;
            }
        }

        return false;
    }
}
