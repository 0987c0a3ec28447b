using Microsoft.AspNetCore.Http.Features;

namespace Orian.Service.Endpoints;

/// <summary>
/// The last segment of the request path, percent-decoded in full from the request target as sent.
/// The server decodes a path before routing except <c>%2F</c>, which it keeps encoded so that it
/// cannot split a segment; an id holding '/' therefore arrives in its route value as "a%2Fb" while
/// the body says "a/b". Decoding the raw segment once gives the id the client meant, whatever it
/// escaped, and tells apart an id that really contains "%2F" (sent as <c>%252F</c>).
/// </summary>
internal static class PathId
{
    public static string Of(HttpContext context, string routeValue)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            return routeValue; // an absolute-form or unusual target: keep what routing saw
        }

        var end = raw.IndexOfAny(['?', '#']);
        var path = end < 0 ? raw : raw[..end];
        var segment = path[(path.LastIndexOf('/') + 1)..];
        return Uri.UnescapeDataString(segment);
    }
}
