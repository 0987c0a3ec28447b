using System.Net.Http;
using System.Net.Sockets;

namespace Orian.Outbox;

/// <summary>
/// What an attempt's error says, in one place: a fixed phrase per kind of failure, never the text of an
/// exception (which names the host and port, and can be as long as the host). Every error stored is
/// bounded by <see cref="MaxLength"/> and free of control characters; the dispatcher writes it that way,
/// and the store bounds it again before the write, so no error can overflow a column and roll back the
/// attempts recorded with it.
/// </summary>
public static class AttemptErrors
{
    /// <summary>The longest error stored (the narrowest column holding one is 2,000 characters).</summary>
    public const int MaxLength = 200;

    /// <summary>A phrase for a failed HTTP exchange, from its kind and the socket error under it.</summary>
    public static string Describe(HttpRequestException e)
    {
        var socket = Inner<SocketException>(e)?.SocketErrorCode;
        return (e.HttpRequestError, socket) switch
        {
            (_, SocketError.ConnectionRefused) => "connection refused",
            (_, SocketError.ConnectionReset) => "connection reset",
            (_, SocketError.TimedOut) => "connect timed out",
            (_, SocketError.HostUnreachable or SocketError.NetworkUnreachable) => "host unreachable",
            (HttpRequestError.NameResolutionError, _) or (_, SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain) => "name resolution failed",
            (HttpRequestError.SecureConnectionError, _) => "TLS handshake failed",
            (HttpRequestError.ConnectionError, _) => "connection failed",
            (HttpRequestError.ResponseEnded, _) => "the answer ended early",
            (HttpRequestError.InvalidResponse, _) => "invalid HTTP answer",
            (HttpRequestError.ConfigurationLimitExceeded, _) => "the answer exceeded a limit",
            (HttpRequestError.ProxyTunnelError, _) => "proxy tunnel failed",
            (HttpRequestError.HttpProtocolError, _) => "HTTP protocol error",
            (HttpRequestError.VersionNegotiationError, _) => "HTTP version negotiation failed",
            (HttpRequestError.UserAuthenticationError, _) => "authentication failed",
            _ => "request failed",
        };
    }

    /// <summary><paramref name="error"/> without control characters, each unpaired surrogate replaced by
    /// U+FFFD (a column would otherwise refuse the text, or the driver the encoding), and cut to
    /// <see cref="MaxLength"/> between whole characters. Text that is clean already
    /// (<see cref="Edge.TextRules.IsCleanText"/>) is returned as it is.</summary>
    public static string? Bound(string? error)
    {
        if (error is null)
        {
            return null;
        }

        return Edge.TextRules.IsCleanText(error, MaxLength) ? error : Clean(error);
    }

    private static string Clean(string error)
    {
        // Controls dropped and unpaired surrogates replaced first, so every pair left is whole.
        var kept = new System.Text.StringBuilder(Math.Min(error.Length, 4 * MaxLength));
        for (var i = 0; i < error.Length && kept.Length <= MaxLength; i++)
        {
            var c = error[i];
            if (char.IsHighSurrogate(c) && i + 1 < error.Length && char.IsLowSurrogate(error[i + 1]))
            {
                kept.Append(c).Append(error[++i]);
            }
            else if (!char.IsControl(c))
            {
                kept.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        if (kept.Length <= MaxLength)
        {
            return kept.ToString();
        }

        // Cut between whole characters, with room for the ellipsis.
        var cut = char.IsLowSurrogate(kept[MaxLength - 1]) ? MaxLength - 2 : MaxLength - 1;
        return kept.ToString(0, cut) + "…";
    }

    private static T? Inner<T>(Exception e)
        where T : Exception
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }
}
