using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Orian.Tests.Support;

namespace Orian.Tests.Security;

/// <summary>
/// Guess budgets and the per-source connection cap, with floods sent from other loopback addresses
/// (127.0.0.2 and up) than PPS's own 127.0.0.1: the flooding source is refused, PPS and the operators
/// on 127.0.0.1 are not.
/// </summary>
public sealed class RateLimitTests
{
    /// <summary>A client whose connections come from <paramref name="source"/>.</summary>
    private static HttpClient From(string source, Uri address)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = address };
    }

    private static Dictionary<string, string?> Budget(int burst) => new()
    {
        ["Orian:RateLimits:AuthFailureBurst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orian:RateLimits:AuthFailuresPerMinute"] = "1", // nothing comes back during the test
    };

    private static async Task<HttpStatusCode> OperatorGetAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/status");
        request.Headers.Add("X-Api-Key", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> PpsPutAsync(HttpClient client, string id, string password = TestService.PpsPassword)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/transactions/{id}")
        {
            Content = new StringContent(new Txn { Id = id }.Json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestService.PpsUser}:{password}")));
        return await client.SendAsync(request);
    }

    /// <summary>An IPv6 client is one source per /64 (it cannot walk its own network to get more guesses
    /// or connections); an IPv4-mapped address is its IPv4 address.</summary>
    [Test]
    public void AnIPv6SourceIsItsSlash64()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500).WithQuietOnSuccess(true), Prop.ForAll(bytes.ToArbitrary(), bytes.ToArbitrary(), (a, b) =>
        {
            var first = new IPAddress(a);
            var sameNetwork = new IPAddress([.. a[..8], .. b[8..]]);
            var otherNetwork = new IPAddress([.. b[..8], .. a[8..]]);
            var same = Orian.Service.Security.SourceAddress.Of(first)!.Equals(Orian.Service.Security.SourceAddress.Of(sameNetwork));
            var other = Orian.Service.Security.SourceAddress.Of(first)!.Equals(Orian.Service.Security.SourceAddress.Of(otherNetwork));
            return (same && other == a.AsSpan(0, 8).SequenceEqual(b.AsSpan(0, 8)) || first.IsIPv4MappedToIPv6).Label($"{first} {sameNetwork} {otherNetwork}");
        }));
        Assert.That(Orian.Service.Security.SourceAddress.Of(IPAddress.Parse("::ffff:127.0.0.2")), Is.EqualTo(IPAddress.Parse("127.0.0.2")));
        Assert.That(Orian.Service.Security.SourceAddress.Of(IPAddress.Parse("127.0.0.2")), Is.EqualTo(IPAddress.Parse("127.0.0.2")));
    }

    [Test]
    public async Task GuessesFromOneAddressAreRefusedAfterItsBudgetWhileOtherAddressesAndSurfacesCarryOn()
    {
        await using var service = await TestService.StartSqliteAsync(settings: Budget(5));
        using var guesser = From("127.0.0.2", service.Address);
        for (var i = 0; i < 5; i++)
        {
            Assert.That(await OperatorGetAsync(guesser, $"guess-{i}-xxxxxxxxxxxx"), Is.EqualTo(HttpStatusCode.Unauthorized), $"guess {i}");
        }

        using (var refused = await guesser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/status") { Headers = { { "X-Api-Key", "guess-6-xxxxxxxxxxxx" } } }))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }

        Assert.That(await OperatorGetAsync(guesser, service.OperatorKey), Is.EqualTo(HttpStatusCode.TooManyRequests),
            "a valid key from the same address waits too: the budget is checked before any key is looked up");

        // Everybody else: operators and PPS on 127.0.0.1, and PPS on the guessing address (another surface).
        Assert.That(await OperatorGetAsync(service.Anonymous, service.OperatorKey), Is.EqualTo(HttpStatusCode.OK));
        using (var pps = await PpsPutAsync(service.Anonymous, "RL-1"))
        {
            Assert.That(pps.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var ppsFromGuesser = await PpsPutAsync(guesser, "RL-2"))
        {
            Assert.That(ppsFromGuesser.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the ingress surface has its own budget");
        }
    }

    [Test]
    public async Task WrongPpsPasswordsFromOneAddressDoNotStopPpsOnItsOwn()
    {
        await using var service = await TestService.StartSqliteAsync(settings: Budget(3));
        using var guesser = From("127.0.0.3", service.Address);
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await PpsPutAsync(guesser, $"RL-G{i}", "not-the-password-at-all");
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using (var throttled = await PpsPutAsync(guesser, "RL-G9"))
        {
            Assert.That(throttled.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "even the right password, from the guessing address");
        }

        // PPS on 127.0.0.1 goes on, at its own pace.
        for (var i = 0; i < 20; i++)
        {
            using var ok = await PpsPutAsync(service.Anonymous, $"RL-P{i}");
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await service.GetJsonOrNullAsync("/v1/transactions/RL-G9"), Is.Null, "the throttled request stored nothing");
    }

    [Test]
    public async Task FailedHmacExchangesAreBudgetedToo()
    {
        await using var service = await TestService.StartSqliteAsync(settings: Budget(2));
        using var guesser = From("127.0.0.4", service.Address);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/identity/hmac") { Content = new ByteArrayContent([]) };
            request.Headers.TryAddWithoutValidation("Authorization", $"Hmac pk_unknown:{Guid.NewGuid():D}:{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}:AAAA");
            using var response = await guesser.SendAsync(request);
            codes.Add(response.StatusCode);
        }

        Assert.That(codes, Is.EqualTo(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task OneAddressCannotHoldMoreThanItsShareOfConnections()
    {
        var settings = new Dictionary<string, string?> { ["Orian:RateLimits:MaxConnectionsPerSource"] = "3" };
        await using var service = await TestService.StartSqliteAsync(settings: settings);
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                held.Add(await ConnectFromAsync("127.0.0.5", service.Address.Port));
            }

            // The fourth is accepted by the kernel and closed by the server before any HTTP (so fast,
            // at times, that the connect itself sees the reset).
            Assert.That(await FourthAnswerAsync("127.0.0.5", service.Address.Port), Is.Empty, "closed without an answer");
            Assert.That(service.Services.GetRequiredService<Orian.Service.Security.SourceConnections>().Refused, Is.EqualTo(1), "closed by the cap, and only that one");

            // A held connection still works, and PPS on 127.0.0.1 is not affected.
            Assert.That(await AnswerAsync(held[0]), Does.StartWith("HTTP/1.1 200"));
            using var pps = await PpsPutAsync(service.Anonymous, "RL-C1");
            Assert.That(pps.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private static async Task<string> FourthAnswerAsync(string source, int port)
    {
        Socket socket;
        try
        {
            socket = await ConnectFromAsync(source, port);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
        {
            return "";
        }

        using (socket)
        {
            return await AnswerAsync(socket);
        }
    }

    private static async Task<Socket> ConnectFromAsync(string source, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    /// <summary>Sends a health request on the connection and reads what comes back until the server
    /// closes it or a whole answer has arrived; empty when the server closed it at once.</summary>
    private static async Task<string> AnswerAsync(Socket socket)
    {
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var buffer = new byte[4096];
            var read = await socket.ReceiveAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (SocketException)
        {
            return ""; // reset by the server
        }
    }
}
