using System.Text.Json;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Ledger;
using Orian.Orchestrator;
using Orian.Outbox;

namespace Orian.Tests.Outbox;

/// <summary>The outbox payloads as types: written once by the factory, read back through the same
/// records, and linked without losing or reordering anything.</summary>
public sealed class OutboxPayloadTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static TransactionState State() => new()
    {
        Id = "T1",
        Version = 2,
        PayloadHash = [1],
        Status = "COMPLETE",
        Result = "APPROVED",
        AccountNo = "ACC-1",
        Amount = new Money(1_050, "GBP", 2),
        Effect = new LedgerEffect("ACC-1", "GBP", 2, 0, -1_050, "scheme:MC:GBP", false),
        Flags = EventFlags.None,
        SecureAuthResult = "AUTHENTICATED",
    };

    [Test]
    public void ATransactionUpdateHasTheEnvelopeAndItsDataInWireOrder()
    {
        var evt = EventFactory.TransactionUpdated(State(), At);
        using var document = JsonDocument.Parse(evt.Payload);
        var root = document.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "type", "created_at", "data" }));
        Assert.That(root.GetProperty("id").GetString(), Is.EqualTo(evt.EventId));
        Assert.That(root.GetProperty("created_at").GetString(), Is.EqualTo("2026-11-22T09:00:00Z"));
        var data = root.GetProperty("data");
        Assert.That(data.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "transaction_id", "version", "status", "result", "result_detail", "direction", "txn_type", "scheme_id", "account_no", "amount",
            "held", "posted", "flags", "secure_auth", "order_ref", "instruction_ref", "metadata",
        }));
        Assert.That(data.GetProperty("amount").GetRawText(), Is.EqualTo("""{"amount":1050,"currency":{"code":"GBP","exponent":2}}"""));
        Assert.That(data.GetProperty("order_ref").ValueKind, Is.EqualTo(JsonValueKind.Null), "null until the fan-out finds a link");
        Assert.That(data.GetProperty("secure_auth").GetProperty("result").GetString(), Is.EqualTo("AUTHENTICATED"));
    }

    [Test]
    public void ReadingAWrittenPayloadGivesBackWhatWasWritten()
    {
        var evt = EventFactory.TransactionUpdated(State(), At);
        var data = OutboxPayload.ReadTransactionUpdated(evt.Payload);
        Assert.That((data.Status, data.Result, data.AccountNo, data.Amount!.ToMoney()), Is.EqualTo(("COMPLETE", "APPROVED", "ACC-1", new Money(1_050, "GBP", 2))));
        Assert.That(OutboxPayload.Write(OutboxPayload.Read<TransactionUpdatedData>(evt.Payload)), Is.EqualTo(evt.Payload), "a round trip changes no byte");
    }

    [Test]
    public void LinkingFillsTheReferencesAndChangesNothingElse()
    {
        var decided = EventFactory.AuthorisationDecided("T1", 1, "ACC-1", new Decision(TxnResult.Approved, "APPROVED", null, new Money(5, "EUR", 2), 5, "approved"),
            new Money(5, "EUR", 2), timedOut: false, revoked: false, At);
        var linked = OutboxPayload.WithLink(decided.Type, decided.Payload, new InstructionLinkRefs("ord-1", "ins.2", """{"k":"v é"}"""));
        using var before = JsonDocument.Parse(decided.Payload);
        using var after = JsonDocument.Parse(linked);
        var data = after.RootElement.GetProperty("data");
        Assert.That(data.GetProperty("order_ref").GetString(), Is.EqualTo("ord-1"));
        Assert.That(data.GetProperty("instruction_ref").GetString(), Is.EqualTo("ins.2"));
        Assert.That(data.GetProperty("metadata").GetProperty("k").GetString(), Is.EqualTo("v é"));
        foreach (var property in before.RootElement.GetProperty("data").EnumerateObject().Where(p => p.Name is not ("order_ref" or "instruction_ref" or "metadata")))
        {
            Assert.That(data.GetProperty(property.Name).GetRawText(), Is.EqualTo(property.Value.GetRawText()), property.Name);
        }

        Assert.That(after.RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name),
            Is.EqualTo(before.RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name)), "same members, same order");
        Assert.That(OutboxPayload.WithLink(EventTypes.InstructionUpdated, "not even json", new InstructionLinkRefs("a", "b", null)), Is.EqualTo("not even json"),
            "an instruction update carries its references already");
    }

    [Test]
    public void AnInstructionUpdateReadsBackForTheOrchestratorCall()
    {
        var change = new InstructionChange("T1", 3, new InstructionLinkRefs("ord", "ins", null), "SETTLED", "PROCESSING", "COMPLETE", "APPROVED", "ACC-1",
            new Money(1_050, "JPY", 0), At);
        var evt = EventFactory.InstructionUpdated(change, At);
        var data = OutboxPayload.ReadInstructionUpdated(evt.Payload);
        Assert.That((data.OrderRef, data.InstructionRef, data.Status, data.PreviousStatus, data.Version), Is.EqualTo(("ord", "ins", "SETTLED", "PROCESSING", 3L)));
        Assert.That(data.Amount!.ToMoney(), Is.EqualTo(new Money(1_050, "JPY", 0)));
        Assert.That(data.OccurredAt, Is.EqualTo(At.UtcDateTime));
    }
}
