using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Orian.Outbox;

namespace Orian.Tests.Outbox;

/// <summary>What an attempt's error may hold: a fixed phrase, never the host the exception names, and
/// never more than the bound, whatever the exception said or how long the host was.</summary>
public sealed class AttemptErrorTests
{
    private static readonly HttpRequestError[] Kinds = Enum.GetValues<HttpRequestError>();

    [Test]
    public void TheErrorOfAFailedExchangeNeverNamesTheHostAndIsBounded() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), Prop.ForAll(
            Gen.Elements(Kinds).ToArbitrary(), Gen.Choose(30, 2500).ToArbitrary(), Gen.Elements(Enum.GetValues<SocketError>()).ToArbitrary(),
            (kind, length, socket) =>
            {
                var host = string.Concat(Enumerable.Repeat("h0st-", (length / 5) + 1))[..length];
                var inner = new SocketException((int)socket);
                var e = new HttpRequestException(kind, $"Something about {host}:443 happened", new IOException($"{host} said no", inner));
                var error = AttemptErrors.Describe(e);
                return (!error.Contains("h0st", StringComparison.Ordinal) && !error.Contains("443", StringComparison.Ordinal)
                        && error.Length <= AttemptErrors.MaxLength && error == AttemptErrors.Bound(error)).Label($"{kind}/{socket}: {error}");
            }));

    [Test]
    public void BoundKeepsShortCleanTextAndCutsEverythingElseToValidText() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000).WithQuietOnSuccess(true), Prop.ForAll(
            Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(c => (char)c)).Select(a => new string(a)).ToArbitrary(),
            Gen.Choose(0, 3000).ToArbitrary(),
            (text, repeat) =>
            {
                var value = repeat > 2000 ? string.Concat(Enumerable.Repeat(text, 50)) : text;
                var bounded = AttemptErrors.Bound(value)!;
                var clean = Orian.Edge.TextRules.IsCleanText(value, AttemptErrors.MaxLength);
                // Clean text (bounded, no control character, no unpaired surrogate anywhere, so never
                // cut inside a pair) whatever came in; text that was clean already, unchanged.
                return (Orian.Edge.TextRules.IsCleanText(bounded, AttemptErrors.MaxLength)
                        && (!clean || bounded == value)).Label(bounded.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }));

    [TestCase(SocketError.ConnectionRefused, "connection refused")]
    [TestCase(SocketError.HostNotFound, "name resolution failed")]
    [TestCase(SocketError.TimedOut, "connect timed out")]
    public void SocketErrorsHaveTheirOwnPhrase(SocketError socket, string phrase) =>
        Assert.That(AttemptErrors.Describe(new HttpRequestException(HttpRequestError.ConnectionError, "x (host:1)", new SocketException((int)socket))), Is.EqualTo(phrase));

    /// <summary>Found by the property above (seed 15726850753326562706,4492560450965159151): two unpaired
    /// high surrogates in a row, cut after the first, ended the text in one.</summary>
    [Test]
    public void UnpairedSurrogatesAreReplacedAndACutNeverEndsInOne()
    {
        var bounded = AttemptErrors.Bound(string.Concat(Enumerable.Repeat("ab\ud9f7\udaf9cd", 60)))!;
        Assert.That(Orian.Edge.TextRules.IsCleanText(bounded, AttemptErrors.MaxLength), Is.True, bounded);
        Assert.That(bounded, Does.EndWith("…").And.Contain("\uFFFD"));
        Assert.That(AttemptErrors.Bound("x\udc00y"), Is.EqualTo("x\uFFFDy"), "short, but not valid UTF-16");
        Assert.That(AttemptErrors.Bound("\ud83d\ude00 ok"), Is.EqualTo("\ud83d\ude00 ok"), "a whole pair is kept");
    }

    [Test]
    public void Null_stays_null() => Assert.That(AttemptErrors.Bound(null), Is.Null);
}
