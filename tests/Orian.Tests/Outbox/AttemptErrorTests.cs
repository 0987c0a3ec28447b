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
                var clean = value.Length <= AttemptErrors.MaxLength && !value.Any(char.IsControl);
                var cutInsidePair = bounded.Length > 1 && bounded.EndsWith('…') && char.IsHighSurrogate(bounded[^2]);
                return (bounded.Length <= AttemptErrors.MaxLength
                        && !bounded.Any(char.IsControl)
                        && (!clean || bounded == value)
                        && !cutInsidePair).Label(bounded.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }));

    [TestCase(SocketError.ConnectionRefused, "connection refused")]
    [TestCase(SocketError.HostNotFound, "name resolution failed")]
    [TestCase(SocketError.TimedOut, "connect timed out")]
    public void SocketErrorsHaveTheirOwnPhrase(SocketError socket, string phrase) =>
        Assert.That(AttemptErrors.Describe(new HttpRequestException(HttpRequestError.ConnectionError, "x (host:1)", new SocketException((int)socket))), Is.EqualTo(phrase));

    [Test]
    public void Null_stays_null() => Assert.That(AttemptErrors.Bound(null), Is.Null);
}
