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

    /// <summary><paramref name="error"/> without control characters and cut to <see cref="MaxLength"/>.</summary>
    public static string? Bound(string? error)
    {
        if (error is null)
        {
            return null;
        }

        return error.Length <= MaxLength && !error.Any(char.IsControl) ? error : Clean(error);
    }

    private static string Clean(string error)
    {
        var chars = error.Where(c => !char.IsControl(c)).Take(MaxLength + 1).ToArray();
        if (chars.Length <= MaxLength)
        {
            return new string(chars);
        }

        // Cut before a lone high surrogate, so the stored text is always valid UTF-16.
        var cut = MaxLength - 1;
        if (char.IsHighSurrogate(chars[cut - 1]))
        {
            cut--;
        }

        return new string(chars, 0, cut) + "…";
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
