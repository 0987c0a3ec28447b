using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Orian.Service.Endpoints;
using Orian.Service.Outbox;

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
