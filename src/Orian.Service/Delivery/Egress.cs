using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Orian.Service.Delivery;

/// <summary>A connection Orian refused to open: the address is inside a network egress may not reach.</summary>
internal sealed class EgressRefusedException(string host) : IOException($"refused: private address ({host})")
{
    /// <summary>What the attempt log records: the reason, without address or timing details.</summary>
    public const string AttemptError = "refused: private address";
}

/// <summary>An exchange Orian itself judged failed, with a message of its own (no host, no address):
/// what the attempt log records of it.</summary>
internal sealed class ExchangeFailedException(string message, System.Net.HttpStatusCode? status = null)
    : HttpRequestException(message, null, status);

/// <summary>
/// Where Orian's outgoing calls may connect. Each surface has its own egress and allow-list: tenant
/// webhooks (<c>Orian:Outbox:AllowedPrivateNetworks</c>) and the Payments Orchestrator
/// (<c>Orian:Orchestrator:AllowedPrivateNetworks</c>), so opening an internal network to one does not
/// open it to the other. Every network in <see cref="Refused"/> is refused, whatever notation the URL
/// used, unless an address is in that surface's allow-list (CIDRs). The check runs when the socket
/// connects, on the addresses DNS answered at that moment, so a name that resolves differently later
/// (DNS rebinding) cannot get round it. Proxies are never used (<c>HTTPS_PROXY</c> in the environment
/// would otherwise make the check see only the proxy), redirects are never followed, and answers are
/// read up to <see cref="MaxResponseBytes"/>.
/// </summary>
internal sealed class Egress(IReadOnlyList<IPNetwork> allowed)
{
    /// <summary>The most of an answer Orian reads (a token answer; anything else is not read at all).</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>Every network egress refuses by default: not globally reachable, reserved, or a
    /// transition prefix that carries an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible) and so can
    /// reach an internal IPv4 host by another name.</summary>
    public static readonly IReadOnlyList<IPNetwork> Refused =
    [
        // IPv4
        IPNetwork.Parse("0.0.0.0/8"),        // "this network"
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local (cloud metadata)
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"),     // documentation
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("198.51.100.0/24"),  // documentation
        IPNetwork.Parse("203.0.113.0/24"),   // documentation
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved and broadcast
        // IPv6 (IPv4-mapped ::ffff:0:0/96 is judged as the IPv4 address it carries)
        IPNetwork.Parse("::/96"),            // unspecified, loopback, IPv4-compatible (deprecated)
        IPNetwork.Parse("::1/128"),          // loopback
        IPNetwork.Parse("64:ff9b::/96"),     // NAT64
        IPNetwork.Parse("64:ff9b:1::/48"),   // local-use NAT64
        IPNetwork.Parse("100::/64"),         // discard-only
        IPNetwork.Parse("2001::/32"),        // Teredo
        IPNetwork.Parse("2001:db8::/32"),    // documentation
        IPNetwork.Parse("2002::/16"),        // 6to4
        IPNetwork.Parse("fc00::/7"),         // unique-local
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("fec0::/10"),        // site-local (deprecated)
        IPNetwork.Parse("ff00::/8"),         // multicast
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

    /// <summary>The handler every outgoing client uses: connect-time address check, no proxy, no redirects.</summary>
    /// <param name="authorities">When given, a server certificate must chain to one of these (and only these).</param>
    public SocketsHttpHandler CreateHandler(X509Certificate2Collection? authorities = null)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = ConnectAsync,
        };
        if (authorities is not null)
        {
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        return handler;
    }

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
            throw new ExchangeFailedException($"the answer is larger than {MaxResponseBytes} bytes");
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
            throw new ExchangeFailedException($"the answer is larger than {MaxResponseBytes} bytes");
        }

        return buffer[..total];
    }
}
