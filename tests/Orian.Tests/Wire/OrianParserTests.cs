using System.Text;
using Orian.Domain;
using Orian.Tests.Support;
using Orian.Wire;

namespace Orian.Tests.Wire;

public sealed class OrianParserTests
{
    private static OrianEvent? Parse(string json, out ParseError? error) => OrianParser.Parse(Encoding.UTF8.GetBytes(json), out error);

    private static ParseError Reject(string json)
    {
        var evt = Parse(json, out var error);
        Assert.That(evt, Is.Null, "expected the body to be rejected");
        return error!;
    }

    [Test]
    public void ParsesTheOfficialExample()
    {
        var evt = Parse(Samples.OfficialExample, out var error);
        Assert.That(error, Is.Null);
        Assert.That(evt, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(evt!.Id, Is.EqualTo("18020114280135473"));
            Assert.That(evt.Version, Is.EqualTo(1));
            Assert.That(evt.Status, Is.EqualTo(LifecycleStatus.AuthorisationRequested));
            Assert.That(evt.SchemeId, Is.EqualTo("MC"));
            Assert.That(evt.ProductClassId, Is.EqualTo("MY_PRODUCT_CLASS"));
            Assert.That(evt.Direction, Is.EqualTo(Direction.Debit));
            Assert.That(evt.Financial, Is.True);
            Assert.That(evt.PayerAccountNo, Is.EqualTo("73648576"));
            Assert.That(evt.AccountNo, Is.EqualTo("73648576"));
            Assert.That(evt.MerchantCategory, Is.EqualTo("5812"));
            Assert.That(evt.MaskedPan, Is.EqualTo("123456******9876"));
            Assert.That(evt.Authorisation.Requested, Is.EqualTo(new Money(100, "GBP", 2)));
            Assert.That(evt.Authorisation.CardholderFinal, Is.EqualTo(new Money(100, "GBP", 2)));
            Assert.That(evt.Clearing.IsEmpty, Is.True);
        });
    }

    [Test]
    public void IgnoresUnknownFieldsAtEveryLevel()
    {
        var json = new Txn().Json.Replace("\"version\":1", "\"version\":1,\"brand_new\":{\"deep\":[1,2,{\"x\":null}]},\"another\":true", StringComparison.Ordinal);
        var evt = Parse(json, out var error);
        Assert.That(error, Is.Null);
        Assert.That(evt!.Version, Is.EqualTo(1));
    }

    [Test]
    public void KeepsUnknownEnumValuesInsteadOfRejecting()
    {
        var evt = Parse(new Txn { Status = "PARTIALLY_REVERSED", Result = "APPROVED_MAYBE", Direction = "SIDEWAYS" }.Json, out var error);
        Assert.That(error, Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(evt!.Status, Is.EqualTo(LifecycleStatus.Unknown));
            Assert.That(evt.StatusText, Is.EqualTo("PARTIALLY_REVERSED"));
            Assert.That(evt.Result, Is.EqualTo(TxnResult.Unknown));
            Assert.That(evt.ResultText, Is.EqualTo("APPROVED_MAYBE"));
            Assert.That(evt.Direction, Is.EqualTo(Direction.Unknown));
        });
    }

    [TestCase("{\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\"}", "id")]
    [TestCase("{\"id\":\"\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\"}", "id")]
    [TestCase("{\"id\":\"A\",\"txn_lifecycle_status\":\"COMPLETE\"}", "version")]
    [TestCase("{\"id\":\"A\",\"version\":null,\"txn_lifecycle_status\":\"COMPLETE\"}", "version")]
    [TestCase("{\"id\":\"A\",\"version\":1}", "txn_lifecycle_status")]
    [TestCase("{\"id\":\"A\",\"version\":1,\"txn_lifecycle_status\":\"\"}", "txn_lifecycle_status")]
    public void NamesTheMissingRequiredField(string json, string field)
    {
        var error = Reject(json);
        Assert.That(error.Field, Is.EqualTo(field));
        Assert.That(error.Message, Does.Contain("required"));
    }

    [TestCase("{\"id\":7,\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\"}", "id")]
    [TestCase("{\"id\":\"A\",\"version\":\"1\",\"txn_lifecycle_status\":\"COMPLETE\"}", "version")]
    [TestCase("{\"id\":\"A\",\"version\":1.5,\"txn_lifecycle_status\":\"COMPLETE\"}", "version")]
    [TestCase("{\"id\":\"A\",\"version\":-1,\"txn_lifecycle_status\":\"COMPLETE\"}", "version")]
    [TestCase("{\"id\":\"A\",\"version\":1,\"txn_lifecycle_status\":[]}", "txn_lifecycle_status")]
    [TestCase("{\"id\":\"A B\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\"}", "id")]
    [TestCase("{\"id\":\"A\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\",\"txn_type\":\"DEBIT\"}", "txn_type")]
    [TestCase("{\"id\":\"A\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\",\"txn_type\":{\"financial\":\"yes\"}}", "txn_type.financial")]
    public void NamesTheFieldOfTheWrongType(string json, string field)
    {
        Assert.That(Reject(json).Field, Is.EqualTo(field));
    }

    [Test]
    public void RejectsAnAmountWithoutACurrency()
    {
        var json = new Txn().Json.Replace(
            "\"cardholder_final_amount\":{\"amount\":100,\"currency\":{\"code\":\"GBP\",\"exponent\":2}}",
            "\"cardholder_final_amount\":{\"amount\":100}",
            StringComparison.Ordinal);
        var error = Reject(json);
        Assert.That(error.Field, Is.EqualTo("authorisation.txn_amounts.cardholder_final_amount.currency"));
    }

    [TestCase("{\"amount\":100,\"currency\":{\"exponent\":2}}", "cardholder_amount.currency.code")]
    [TestCase("{\"amount\":100,\"currency\":{\"code\":\"GBP\"}}", "cardholder_amount.currency.exponent")]
    [TestCase("{\"amount\":100,\"currency\":{\"code\":\"gbp\",\"exponent\":2}}", "cardholder_amount.currency.code")]
    [TestCase("{\"amount\":100,\"currency\":{\"code\":\"GBP\",\"exponent\":12}}", "cardholder_amount.currency.exponent")]
    [TestCase("{\"amount\":1.25,\"currency\":{\"code\":\"GBP\",\"exponent\":2}}", "cardholder_amount.amount")]
    [TestCase("{\"amount\":-5,\"currency\":{\"code\":\"GBP\",\"exponent\":2}}", "cardholder_amount.amount")]
    [TestCase("{\"currency\":{\"code\":\"GBP\",\"exponent\":2}}", "cardholder_amount.amount")]
    public void RejectsAMalformedAmountNamingItsPath(string amount, string fieldSuffix)
    {
        var json = $"{{\"id\":\"A\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\",\"clearing\":{{\"txn_amounts\":{{\"cardholder_amount\":{amount}}}}}}}";
        Assert.That(Reject(json).Field, Is.EqualTo("clearing.txn_amounts." + fieldSuffix));
    }

    [TestCase("")]
    [TestCase("{")]
    [TestCase("{\"id\":\"A\",}")]
    [TestCase("[1,2]")]
    [TestCase("\"just a string\"")]
    [TestCase("{\"id\":\"A\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\"} trailing")]
    [TestCase("{\"id\":\"A\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\"}{}")]
    public void RejectsMalformedJsonAsTheDocument(string json)
    {
        Assert.That(Reject(json).Field, Is.EqualTo("$"));
    }

    [Test]
    public void ReadsEscapedStrings()
    {
        var evt = Parse("{\"id\":\"A\\u0042\",\"version\":3,\"txn_lifecycle_status\":\"COMPL\\u0045TE\"}", out var error);
        Assert.That(error, Is.Null);
        Assert.That(evt!.Id, Is.EqualTo("AB"));
        Assert.That(evt.Status, Is.EqualTo(LifecycleStatus.Complete));
    }

    [Test]
    public void AcceptsVersionZeroAsSomeSamplesShow()
    {
        Assert.That(Parse(new Txn { Version = 0 }.Json, out _)!.Version, Is.Zero);
    }

    [Test]
    public void TreatsAbsentFinancialFlagAsFinancial()
    {
        var evt = Parse("{\"id\":\"A\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\",\"txn_type\":{\"direction\":\"DEBIT\"}}", out _);
        Assert.That(evt!.Financial, Is.True);
    }
}
