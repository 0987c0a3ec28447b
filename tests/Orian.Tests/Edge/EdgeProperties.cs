using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Orian.Edge;
using Orian.Ledger;
using Orian.Tests.Support;
using Orian.Wire;

namespace Orian.Tests.Edge;

/// <summary>
/// The edge as pure functions, over thousands of hostile bodies: the parser either accepts a body
/// whose every stored value meets the edge rules, or refuses it naming a field; it never throws; and
/// the text stored for an accepted body is JSON with no card number left in it.
/// </summary>
public sealed class EdgeProperties
{
    private static readonly string[] StringKeys = ["id", "txn_lifecycle_status", "account_no", "result", "result_detail", "masked_pan", "scheme_id", "category_auth", "code", "direction", "name", "extra_note", "product_class_id"];
    private static readonly string[] NumberKeys = ["amount", "version", "exponent"];

    private static readonly Gen<(Txn Txn, List<HostileInput.Mutation> Mutations)> Bodies =
        from status in Gen.Elements("AUTHORISED", "COMPLETE", "AUTHORISATION_REQUESTED", "CANCELLED")
        from direction in Gen.Elements("DEBIT", "CREDIT")
        from clearing in Gen.Elements<long?>(null, 120)
        from mutations in HostileInput.Mutations(StringKeys, NumberKeys)
        select (new Txn { Id = "P1", Status = status, Direction = direction, ClearingAmount = clearing, Extra = "4111111111111111", ProductClass = "GIFT" }, mutations);

    [FsCheck.NUnit.Property(MaxTest = 3000)]
    public Property AnyBodyIsAcceptedCleanOrRefusedWithAFieldAndNothingThrows() =>
        Prop.ForAll(Bodies.ToArbitrary(), c =>
        {
            var body = HostileInput.ApplyAll(c.Txn.Json, c.Mutations);
            var evt = OrianParser.Parse(body, out var error);
            if (evt is null)
            {
                return (error is { Field.Length: > 0, Message.Length: > 0 }).Label("a refusal names a field and a reason");
            }

            var pending = new PendingEvent(evt, body, DateTimeOffset.UnixEpoch, PayloadKeys.Development);
            using var stored = JsonDocument.Parse(pending.RawJson);
            return Clean(evt).Label("every stored string meets the edge rules")
                .And(Amounts(evt).All(a => a is >= 0 and <= EdgeLimits.MaxAmountMinor).Label("amounts within the edge limit"))
                .And((evt.MaskedPan is null || !CardNumbers.Contains(evt.MaskedPan)).Label("masked_pan is masked"))
                .And(NoPan(stored.RootElement).Label("no card number in the stored text"))
                .And((Encoding.UTF8.GetString(body) == pending.RawJson || StoredBody.Of(body).Redacted)
                    .Label("stored text differs from the body only where something was redacted"));
        });

    [Test]
    public void LuhnValidNumbersOf13To19DigitsAreCardNumbersAndNothingElseIs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CardNumbers.IsPan("4111111111111111"), Is.True);
            Assert.That(CardNumbers.IsPan("4111111111111112"), Is.False, "Luhn fails");
            Assert.That(CardNumbers.IsPan("4222222222222"), Is.True, "13 digits");
            Assert.That(CardNumbers.IsPan("6011000990139424"), Is.True);
            Assert.That(CardNumbers.IsPan("123456789012"), Is.False, "12 digits");
            Assert.That(CardNumbers.IsPan("41111111111111111111"), Is.False, "20 digits");
            Assert.That(CardNumbers.IsPan("4111-1111-1111-1111"), Is.False);
            Assert.That(CardNumbers.Mask("4111111111111111"), Is.EqualTo("411111******1111"));
            Assert.That(CardNumbers.Mask("123456******9876"), Is.EqualTo("123456******9876"));
            Assert.That(CardNumbers.Mask("card 4111111111111111 and 12345"), Is.EqualTo("card 411111******1111 and 12345"));
        });
    }

    // Written as escapes and unescaped at run time: an attribute stores its strings as UTF-8, which
    // cannot hold an unpaired surrogate (it would arrive as U+FFFD).
    [TestCase(@"\u0000", false)]
    [TestCase(@"a\u0085b", false)]
    [TestCase(@"a\u007fb", false)]
    [TestCase(@"a\nb", false)]
    [TestCase(@"\ud800", false)]
    [TestCase(@"\udc00a", false)]
    [TestCase(@"a\ud800", false)]
    [TestCase(@"\ud83d\ude00", true)]
    [TestCase(@"\u00e9 and \u00fc", true)]
    [TestCase("", true)]
    public void CleanTextRefusesControlsAndUnpairedSurrogates(string escaped, bool clean) =>
        Assert.That(TextRules.IsCleanText(System.Text.RegularExpressions.Regex.Unescape(escaped), 64), Is.EqualTo(clean));

    private static bool Clean(OrianEvent e) =>
        TextRules.IsIdentifier(e.Id)
        && (e.AccountNo is null || TextRules.IsIdentifier(e.AccountNo))
        && new[] { e.StatusText, e.SchemeId, e.ProductClassId, e.TxnTypeCode, e.DirectionText, e.ResultText, e.ResultDetail, e.MerchantCategory, e.MaskedPan }
            .All(s => s is null || TextRules.IsCleanText(s, EdgeLimits.MaxCodeLength))
        && (e.ResultMessage is null || TextRules.IsCleanText(e.ResultMessage, EdgeLimits.MaxMessageLength));

    private static IEnumerable<long> Amounts(OrianEvent e) =>
        new[] { e.Authorisation.Requested, e.Authorisation.Cardholder, e.Authorisation.CardholderFinal, e.Clearing.Requested, e.Clearing.Cardholder, e.Clearing.CardholderFinal, e.ApprovedAmount }
            .Where(m => m is not null).Select(m => m!.Value.Minor);

    /// <summary>No string value is a card number, except the identifiers Orian keeps (the top-level
    /// <c>id</c>, a party's <c>account.account_no</c>), which are keys and kept as sent (see <see cref="StoredBody"/>).</summary>
    private static bool NoPan(JsonElement element, string path = "$") => element.ValueKind switch
    {
        JsonValueKind.String => path is "$.id" or "$.payer.account.account_no" or "$.payee.account.account_no" || !CardNumbers.Contains(element.GetString()),
        JsonValueKind.Object => element.EnumerateObject().All(p => !CardNumbers.Contains(p.Name) && NoPan(p.Value, path + "." + p.Name)),
        JsonValueKind.Array => element.EnumerateArray().All(e => NoPan(e, path + "[]")),
        _ => true,
    };
}
