using System.Net;
using System.Net.Sockets;

namespace Orian.Service.Outbox;

/// <summary>A connection Orian refused to open: the address is inside a network egress may not reach.</summary>
internal sealed class EgressRefusedException(string host) : IOException($"refused: private address ({host})")
{
    /// <summary>What the attempt log records: the reason, without address or timing details.</summary>
    public const string AttemptError = "refused: private address";
}

/// <summary>
/// Where Orian's outgoing calls (webhooks, the Payments Orchestrator) may connect. Loopback,
/// link-local, private (RFC 1918), unique-local, carrier-grade NAT, unspecified, multicast and
/// broadcast addresses are refused, whatever notation the URL used, unless an address is in the
/// allow-list (<c>Orian:Outbox:AllowedPrivateNetworks</c>, CIDRs). The check runs when the socket
/// connects, on the addresses DNS answered at that moment, so a name that resolves differently later
/// (DNS rebinding) cannot get round it. Redirects are never followed, and answers are read up to
/// <see cref="MaxResponseBytes"/>.
/// </summary>
internal sealed class Egress(IReadOnlyList<IPNetwork> allowed)
{
    /// <summary>The most of an answer Orian reads (a token answer; anything else is not read at all).</summary>
    public const int MaxResponseBytes = 64 * 1024;

    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"), IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    public IReadOnlyList<IPNetwork> Allowed { get; } = allowed;

    /// <summary>Parses a comma-separated list of CIDRs; null with the first invalid entry named.</summary>
    public static (Egress? Egress, string? Invalid) From(string? allowedNetworks)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (allowedNetworks ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPNetwork.TryParse(entry, out var network))
            {
                return (null, entry);
            }

            networks.Add(network);
        }

        return (new Egress(networks), null);
    }

    /// <summary>Whether <paramref name="address"/> lies in a network egress refuses by default (an
    /// IPv4-mapped IPv6 address is judged as the IPv4 address it carries).</summary>
    public static bool IsInternal(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Refused.Any(n => n.BaseAddress.AddressFamily == a.AddressFamily && n.Contains(a));
    }

    public bool Permits(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return !IsInternal(a) || Allowed.Any(n => n.BaseAddress.AddressFamily == a.AddressFamily && n.Contains(a));
    }

    /// <summary>The handler every outgoing client uses: connect-time address check, no redirects.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var permitted = addresses.Where(Permits).ToList();
        if (permitted.Count == 0)
        {
            throw new EgressRefusedException(host);
        }

        Exception? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                last = e;
                if (e is OperationCanceledException)
                {
                    throw;
                }
            }
        }

        throw last!;
    }

    /// <summary>Reads an answer's body up to <see cref="MaxResponseBytes"/>; a longer one is refused
    /// without reading the rest.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new HttpRequestException($"the answer is larger than {MaxResponseBytes} bytes");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxResponseBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        if (total > MaxResponseBytes)
        {
            throw new HttpRequestException($"the answer is larger than {MaxResponseBytes} bytes");
        }

        return buffer[..total];
    }
}
