using Microsoft.AspNetCore.Http.Features;

namespace Orian.Service.Endpoints;

/// <summary>
/// The id in a request path, percent-decoded in full from the request target as sent. The server
/// decodes a path before routing except <c>%2F</c>, which it keeps encoded so that it cannot split a
/// segment; an id holding '/' therefore arrives in its route value as "a%2Fb" while the body says
/// "a/b". Decoding the raw segment once gives the id the client meant, whatever it escaped, and
/// tells apart an id that really contains "%2F" (sent as <c>%252F</c>). Every route with an id has
/// it as the third segment: <c>/v2/transactions/{id}</c>, <c>/v1/accounts/{accountNo}/...</c>,
/// <c>/v1/transactions/{id}</c>, <c>/v1/instruction-links/{transactionId}</c>.
/// </summary>
internal static class PathId
{
    private const int Segment = 2;

    public static string Of(HttpContext context, string routeValue)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            return routeValue; // an absolute-form or unusual target: keep what routing saw
        }

        var end = raw.IndexOf('?', StringComparison.Ordinal);
        var segments = (end < 0 ? raw : raw[..end]).Split('/');
        // segments[0] is the empty string before the leading '/'
        return segments.Length > Segment + 1 ? Uri.UnescapeDataString(segments[Segment + 1]) : routeValue;
    }
}
