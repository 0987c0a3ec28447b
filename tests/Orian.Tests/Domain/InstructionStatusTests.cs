using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Orian.Domain;
using Orian.Orchestrator;

namespace Orian.Tests.Domain;

/// <summary>The Orchestrator side's pure pieces: the status mapping, the reference rule, decimal
/// amounts from minor units, and the HMAC formula against vectors computed outside .NET.</summary>
public sealed class InstructionStatusTests
{
    [TestCase("AUTHORISED", "APPROVED", "PROCESSING")]
    [TestCase("AUTHORISED", "PARTIALLY_APPROVED", "PROCESSING")]
    [TestCase("AUTHORISED", "APPROVED_WITH_EXCEPTION", "PROCESSING")]
    [TestCase("AUTHORISED", "DECLINED", "FAILED")]
    [TestCase("COMPLETE", "APPROVED", "SETTLED")]
    [TestCase("COMPLETE", "DECLINED", "FAILED")]
    [TestCase("CANCELLED", "APPROVED", "VOID")]
    [TestCase("CANCELLED", null, "VOID")]
    [TestCase("EXPIRED", "APPROVED", "VOID")]
    [TestCase("MANUALLY_EXPIRED", "DECLINED", "VOID")]
    [TestCase("AUTHORISATION_REQUESTED", "APPROVED", null)]
    [TestCase("AUTHORISED", null, null)]
    [TestCase("COMPLETE", "SOMETHING_NEW", null)]
    [TestCase("ON_HOLD", "APPROVED", null)]
    public void StatusesMapAsTheDomainSays(string status, string? result, string? expected) =>
        Assert.That(InstructionStatus.Map(status, result), Is.EqualTo(expected));

    [TestCase("ORD-1", true)]
    [TestCase("a.b_c-9", true)]
    [TestCase("", false)]
    [TestCase("has space", false)]
    [TestCase("slash/no", false)]
    [TestCase("ünïcode", false)]
    [TestCase(".", false)]
    [TestCase("..", false)]
    [TestCase("....", false)]
    [TestCase("%2e%2e", false)]
    [TestCase("%2E", false)]
    [TestCase("..a", true)]
    [TestCase("a..", true)]
    public void ReferencesAreUpToFiftyCharactersOfTheDocumentedSet(string value, bool valid) =>
        Assert.That(InstructionStatus.IsValidReference(value), Is.EqualTo(valid));

    /// <summary>Whatever a reference is, if it is accepted it stays one path segment of its own in the
    /// Orchestrator's URL: no accepted reference names "this segment" or "the parent" after escaping.</summary>
    [Test]
    public void AnAcceptedReferenceIsAlwaysExactlyOnePathSegment()
    {
        var chars = Gen.Elements('.', '.', '.', '%', '2', 'e', 'E', '/', '\\', 'a', '-', '_', '?', '#');
        var refs = Gen.ArrayOf(chars).Where(a => a.Length is > 0 and <= 8).Select(a => new string(a));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000).WithQuietOnSuccess(true), Prop.ForAll(refs.ToArbitrary(), value =>
        {
            if (!InstructionStatus.IsValidReference(value))
            {
                return true.Label("refused");
            }

            var url = new Uri(new Uri("https://orchestrator.example/"), $"v2/order-management/{Uri.EscapeDataString(value)}/instruction/I-1/status");
            var segments = url.AbsolutePath.Split('/');
            return (segments.Length == 7 && segments[2] == "order-management" && Uri.UnescapeDataString(segments[3]) == value).Label(url.AbsolutePath);
        }));
    }

    [Test]
    public void AReferenceOfFiftyOneCharactersIsRefused()
    {
        Assert.That(InstructionStatus.IsValidReference(new string('a', 50)), Is.True);
        Assert.That(InstructionStatus.IsValidReference(new string('a', 51)), Is.False);
    }

    [TestCase(1234L, 2, "12.34")]
    [TestCase(5L, 2, "0.05")]
    [TestCase(-5L, 3, "-0.005")]
    [TestCase(500L, 0, "500")]
    [TestCase(0L, 2, "0.00")]
    [TestCase(long.MinValue, 2, "-92233720368547758.08")]
    public void MinorUnitsBecomeAnExactDecimal(long minor, int exponent, string expected) =>
        Assert.That(new Money(minor, "XXX", exponent).ToDecimalString(), Is.EqualTo(expected));

    // Vectors computed with Python's hmac and hashlib from the formula in docs/outbox.md (key = bytes 0..31).
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Test]
    public void TheSignatureMatchesAnIndependentComputationWithABody() =>
        Assert.That(OrchestratorHmac.Signature(Key, "pk_test", "5f0c2a7e-1d3b-4c5a-9e8f-0a1b2c3d4e5f", 1795262400, Encoding.UTF8.GetBytes("{\"status\":\"SETTLED\"}")),
            Is.EqualTo("S4Gx0XIjABmFE57sQYTFo48ztTLa4ajWBxeeS7Ly6vg="));

    [Test]
    public void WithoutABodyTheHashedBodyIsEmpty()
    {
        Assert.That(OrchestratorHmac.Signature(Key, "pk_test", "5f0c2a7e-1d3b-4c5a-9e8f-0a1b2c3d4e5f", 1795262400, []),
            Is.EqualTo("wLG9pMSu9C7EPvW7aLX82Zb2DPZvViQ3aSd/phRdbfY="));
        Assert.That(OrchestratorHmac.Header(Key, "pk_test", "n1", 42, []), Does.StartWith("Hmac pk_test:n1:42:"));
    }
}
