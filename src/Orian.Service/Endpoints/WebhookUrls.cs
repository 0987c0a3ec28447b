using System.Net;
using Orian.Service.Delivery;

namespace Orian.Service.Endpoints;

/// <summary>What a webhook URL must be at registration: <c>https</c> (or <c>http</c> where allowed),
/// no user info, no fragment, and not an IP literal inside a network egress refuses (a host name is
/// checked when the dispatcher connects, against what DNS answers then).</summary>
internal static class WebhookUrls
{
    /// <returns>Why <paramref name="url"/> is refused, or null.</returns>
    /// <param name="raw">The URL as sent (a fragment marker survives even when empty).</param>
    public static string? Refusal(Uri url, string raw, bool allowHttp, Egress egress)
    {
        if (url.Scheme != "https" && !(allowHttp && url.Scheme == "http"))
        {
            return "'url' must use https (http only in Development or with Orian__Outbox__AllowInsecureHttp=true).";
        }

        if (url.UserInfo.Length > 0 || url.Authority.Contains('@', StringComparison.Ordinal))
        {
            return "'url' must not carry a user name or password (user info).";
        }

        if (url.Fragment.Length > 0 || raw.Contains('#', StringComparison.Ordinal))
        {
            return "'url' must not have a fragment (#...).";
        }

        // Uri has already read every IPv4 notation (decimal, hex, octal, short forms) into dotted form.
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.DnsSafeHost, out var address) && !egress.Permits(address))
        {
            return "'url' points at a loopback, private, link-local or other internal address, which webhooks may not reach (see Orian__Outbox__AllowedPrivateNetworks).";
        }

        return null;
    }
}
