using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Orian.Service.Endpoints;
using Orian.Service.Delivery;

namespace Orian.Tests.Security;

/// <summary>Egress rules as pure functions: which addresses are internal in every notation a URL can
/// spell them, and what a webhook URL must be at registration.</summary>
public sealed class EgressTests
{
    private static readonly Egress NoneAllowed = new([]);

    /// <summary>The networks egress refuses, as (first address, prefix length) of IPv4.</summary>
    private static readonly (uint Base, int Prefix)[] InternalIPv4 =
    [
        (0x00000000, 8), (0x0A000000, 8), (0x64400000, 10), (0x7F000000, 8), (0xA9FE0000, 16), (0xAC100000, 12), (0xC0A80000, 16),
    ];

    private static readonly Gen<uint> InternalAddresses =
        from network in Gen.Elements(InternalIPv4)
        from offset in Gen.Choose(0, int.MaxValue)
        select network.Base + ((uint)offset & (uint)((1L << (32 - network.Prefix)) - 1));

    private static string Dotted(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    /// <summary>Every way a URL can write one IPv4 address.</summary>
    private static IEnumerable<string> Notations(uint a)
    {
        yield return Dotted(a);
        yield return a.ToString(System.Globalization.CultureInfo.InvariantCulture); // 2130706433
        yield return "0x" + a.ToString("x8", System.Globalization.CultureInfo.InvariantCulture); // 0x7f000001
        yield return $"0{Convert.ToString(a >> 24, 8)}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}"; // 0177.0.0.1
        yield return $"[::ffff:{Dotted(a)}]"; // IPv4-mapped IPv6
    }

    [Test]
    public void AnInternalIPv4AddressIsRefusedAtRegistrationInEveryNotation() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500).WithQuietOnSuccess(true), Prop.ForAll(InternalAddresses.ToArbitrary(), address =>
            Notations(address).All(host =>
                Uri.TryCreate($"https://{host}/hook", UriKind.Absolute, out var url)
                && WebhookUrls.Refusal(url, url.OriginalString, allowHttp: false, NoneAllowed) is not null)
            .Label(string.Join(" ", Notations(address)))));

    [Test]
    public void APublicAddressIsNotRefusedInAnyNotation() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500).WithQuietOnSuccess(true), Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            // 8.0.0.0/7 holds no internal network.
            var address = 0x08000000u | ((uint)seed & 0x01FFFFFFu);
            return Notations(address).All(host =>
                    Uri.TryCreate($"https://{host}/hook", UriKind.Absolute, out var url) && WebhookUrls.Refusal(url, url.OriginalString, false, NoneAllowed) is null)
                .Label(Dotted(address));
        }));

    [TestCase("::1")]
    [TestCase("::")]
    [TestCase("fd00::1")]
    [TestCase("fe80::1")]
    [TestCase("ff02::1")]
    [TestCase("224.0.0.1")]
    [TestCase("255.255.255.255")]
    [TestCase("169.254.169.254")]
    [TestCase("100.64.0.1")]
    public void InternalAddressesAreRefusedAtConnect(string address)
    {
        Assert.That(Egress.IsInternal(IPAddress.Parse(address)), Is.True);
        Assert.That(NoneAllowed.Permits(IPAddress.Parse(address)), Is.False);
    }

    /// <summary>Every range egress must refuse, written out here independently of the production list,
    /// with the reason it is not a place for a webhook.</summary>
    private static readonly string[] MustRefuse =
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
        "::/96", "64:ff9b::/96", "2001::/32", "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ];

    private static byte[] Bytes(IPAddress a) => a.GetAddressBytes();

    /// <summary>An address inside <paramref name="network"/>: its prefix bits kept, the rest from <paramref name="noise"/>.</summary>
    private static IPAddress Inside(IPNetwork network, byte[] noise)
    {
        var bytes = Bytes(network.BaseAddress);
        for (var bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            var mask = (byte)(0x80 >> (bit % 8));
            bytes[bit / 8] = (byte)((bytes[bit / 8] & ~mask) | (noise[bit / 8 % noise.Length] & mask));
        }

        return new IPAddress(bytes);
    }

    /// <summary>The same address with the last bit of the prefix flipped: the neighbouring network of the same size.</summary>
    private static IPAddress Neighbour(IPNetwork network, IPAddress inside)
    {
        var bytes = Bytes(inside);
        var bit = network.PrefixLength - 1;
        bytes[bit / 8] ^= (byte)(0x80 >> (bit % 8));
        return new IPAddress(bytes);
    }

    private static bool InAny(IPAddress a) => MustRefuse.Select(IPNetwork.Parse).Any(n => n.BaseAddress.AddressFamily == a.AddressFamily && n.Contains(a));

    [TestCaseSource(nameof(MustRefuse))]
    public void EveryAddressOfARefusedRangeIsRefusedAtRegistrationAndAtConnectAndItsNeighboursAreJudgedOnTheirOwn(string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        var gen = from noise in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16) select noise;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), Prop.ForAll(gen.ToArbitrary(), noise =>
        {
            var inside = Inside(network, noise);
            var neighbour = Neighbour(network, inside);
            var literal = inside.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{inside}]" : inside.ToString();
            var registered = Uri.TryCreate($"https://{literal}/hook", UriKind.Absolute, out var url)
                && WebhookUrls.Refusal(url, url.OriginalString, allowHttp: false, NoneAllowed) is not null;
            // The neighbour (outside this range) is refused exactly when another listed range holds it.
            return (registered && !NoneAllowed.Permits(inside) && NoneAllowed.Permits(neighbour) == !InAny(neighbour))
                .Label($"{inside} (neighbour {neighbour})");
        }));
    }

    [Test]
    public void EveryListedRangeIsInTheProductionList() =>
        Assert.That(MustRefuse.Select(IPNetwork.Parse), Is.SubsetOf(Egress.Refused));

    [Test]
    public void ARefusedRangeOpensOnlyToTheSurfaceWhoseListNamesIt()
    {
        var webhooks = Egress.From("198.18.0.0/15").Egress!;
        var orchestrator = Egress.From("").Egress!;
        var address = IPAddress.Parse("198.19.3.4");
        Assert.That(webhooks.Permits(address), Is.True);
        Assert.That(orchestrator.Permits(address), Is.False);
    }

    [Test]
    public void AConfiguredProxyIsNeverUsed()
    {
        // A "proxy" on loopback that records whether anything connected to it.
        using var proxy = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        var proxyPort = ((IPEndPoint)proxy.LocalEndpoint).Port;
        var accepted = proxy.AcceptSocketAsync();
        using var handler = new Egress([]).CreateHandler();
        Assert.That(handler.UseProxy, Is.False);
        handler.Proxy = new WebProxy($"http://127.0.0.1:{proxyPort}"); // ignored while UseProxy is off
        using var client = new HttpClient(handler);

        // 198.18.0.1 is refused: through a proxy the connect-time check would only have seen 127.0.0.1.
        var e = Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://198.18.0.1/hook")));
        Assert.That(e!.InnerException, Is.TypeOf<EgressRefusedException>().Or.Property("InnerException").TypeOf<EgressRefusedException>());
        Assert.That(accepted.IsCompleted, Is.False, "nothing reached the proxy");
        proxy.Stop();
    }

    [Test]
    public void TheAllowListOpensExactlyItsNetworks()
    {
        var (egress, invalid) = Egress.From("127.0.0.1/32, 10.1.0.0/16");
        Assert.That(invalid, Is.Null);
        Assert.That(egress!.Permits(IPAddress.Parse("127.0.0.1")), Is.True);
        Assert.That(egress.Permits(IPAddress.Parse("::ffff:127.0.0.1")), Is.True, "an IPv4-mapped address is judged as its IPv4 address");
        Assert.That(egress.Permits(IPAddress.Parse("127.0.0.2")), Is.False);
        Assert.That(egress.Permits(IPAddress.Parse("10.1.200.3")), Is.True);
        Assert.That(egress.Permits(IPAddress.Parse("10.2.0.1")), Is.False);
        Assert.That(egress.Permits(IPAddress.Parse("93.184.216.34")), Is.True);
        Assert.That(Egress.From("10.0.0.0/8,not-a-network").Invalid, Is.EqualTo("not-a-network"));
    }

    [TestCase("https://user:pass@example.com/hook", "user info")]
    [TestCase("https://user@example.com/hook", "user info")]
    [TestCase("https://example.com/hook#frag", "fragment")]
    [TestCase("https://example.com/hook#", "fragment")]
    [TestCase("http://example.com/hook", "https")]
    [TestCase("https://[::1]/hook", "internal")]
    [TestCase("https://[fd12::1]/hook", "internal")]
    [TestCase("https://0.0.0.0/hook", "internal")]
    public void AWebhookUrlIsRefusedAtRegistration(string raw, string why)
    {
        Assert.That(Uri.TryCreate(raw, UriKind.Absolute, out var url), Is.True);
        Assert.That(WebhookUrls.Refusal(url!, raw, allowHttp: false, NoneAllowed), Does.Contain(why));
    }

    [Test]
    public void AStoredUrlIsShownWithoutItsUserInfo()
    {
        Assert.That(WebhookApi.WithoutUserInfo("https://someone:s3cr3t@example.com/hook?x=1"), Is.EqualTo("https://example.com/hook?x=1"));
        Assert.That(WebhookApi.WithoutUserInfo("https://example.com/hook"), Is.EqualTo("https://example.com/hook"));
    }

    [Test]
    public void HttpIsAllowedOnlyWhenAllowed()
    {
        var url = new Uri("http://example.com/hook");
        Assert.That(WebhookUrls.Refusal(url, url.OriginalString, allowHttp: true, NoneAllowed), Is.Null);
        Assert.That(WebhookUrls.Refusal(url, url.OriginalString, allowHttp: false, NoneAllowed), Is.Not.Null);
    }
}
