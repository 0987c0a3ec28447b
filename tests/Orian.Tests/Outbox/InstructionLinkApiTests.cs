using System.Text.Json;
using System.Net;
using System.Text;
using Orian.Tests.Support;

namespace Orian.Tests.Outbox;

/// <summary>The instruction link API over HTTP, and a transaction travelling from PPS's PUT to the
/// stand-in Orchestrator through the running service.</summary>
public sealed class InstructionLinkApiTests
{
    private static Task<HttpResponseMessage> PutLink(HttpClient client, string transactionId, string json) =>
        client.PutAsync($"/v1/instruction-links/{transactionId}", new StringContent(json, Encoding.UTF8, "application/json"));

    [Test]
    public async Task APutTransactionReachesTheLinkedInstructionThroughTheRunningService()
    {
        await using var orchestrator = await OrchestratorServer.StartAsync(TimeProvider.System);
        await using var service = await TestService.StartPostgresAsync("links", settings: orchestrator.Settings);
        using (var linked = await PutLink(service.Operator, "E2E-L", """{"order_ref":"ORD-9","instruction_ref":"INS-9","metadata":{"policy":"P-9"}}"""))
        {
            Assert.That(linked.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(linked.Headers.Location?.ToString(), Is.EqualTo("/v1/instruction-links/E2E-L"));
        }

        var arrived = orchestrator.NextUpdate;
        using (var put = await service.PutAsync(new Txn { Id = "E2E-L", Status = "COMPLETE", Amount = 2500 }))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await arrived.WaitAsync(TimeSpan.FromSeconds(30)); // a guard against hanging, not a timing assertion
        var update = orchestrator.Updates.Single();
        Assert.That((update.OrderRef, update.InstructionRef, update.Status), Is.EqualTo(("ORD-9", "INS-9", "SETTLED")));
        Assert.That(update.Body.GetProperty("amount").GetRawText(), Is.EqualTo("25.00"));
        Assert.That(orchestrator.Refusals, Is.Empty);

        // The link shows what it told the instruction; its delivery is recorded once it is.
        var link = (await service.GetJsonOrNullAsync("/v1/instruction-links/E2E-L"))!.Value;
        Assert.That(link.GetProperty("instruction_status").GetString(), Is.EqualTo("SETTLED"));
        Assert.That(link.GetProperty("metadata").GetProperty("policy").GetString(), Is.EqualTo("P-9"));
        var queued = link.GetProperty("updates").EnumerateArray().Single();
        Assert.That(queued.GetProperty("status").GetString(), Is.EqualTo("SETTLED"));
    }

    [Test]
    public async Task LinksAreCreatedReplacedReadAndDeleted()
    {
        await using var service = await TestService.StartSqliteAsync();
        using (var created = await PutLink(service.Operator, "TX-1", """{"order_ref":"O-1","instruction_ref":"I-1"}"""))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            var body = await TestService.JsonAsync(created);
            Assert.That(body.GetProperty("order_ref").GetString(), Is.EqualTo("O-1"));
            Assert.That(body.GetProperty("queued").ValueKind, Is.EqualTo(JsonValueKind.Null), "nothing to tell: the transaction has not arrived");
        }

        using (var replaced = await PutLink(service.Operator, "TX-1", """{"order_ref":"O-1","instruction_ref":"I-2"}"""))
        {
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var read = (await service.GetJsonOrNullAsync("/v1/instruction-links/TX-1"))!.Value;
        Assert.That(read.GetProperty("instruction_ref").GetString(), Is.EqualTo("I-2"));
        Assert.That(read.GetProperty("updates").GetArrayLength(), Is.Zero);

        using (var deleted = await service.Operator.DeleteAsync("/v1/instruction-links/TX-1"))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        Assert.That(await service.GetJsonOrNullAsync("/v1/instruction-links/TX-1"), Is.Null);
        using var again = await service.Operator.DeleteAsync("/v1/instruction-links/TX-1");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("not json", "$")]
    [TestCase("[1]", "$")]
    [TestCase("""{"instruction_ref":"I-1"}""", "order_ref")]
    [TestCase("""{"order_ref":"O 1","instruction_ref":"I-1"}""", "order_ref")]
    [TestCase("""{"order_ref":"O-1","instruction_ref":"IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII"}""", "instruction_ref")]
    [TestCase("""{"order_ref":"O-1","instruction_ref":7}""", "instruction_ref")]
    [TestCase("""{"order_ref":"..","instruction_ref":"I-1"}""", "order_ref")]
    [TestCase("""{"order_ref":"O-1","instruction_ref":"."}""", "instruction_ref")]
    [TestCase("""{"order_ref":"O-1","instruction_ref":"....."}""", "instruction_ref")]
    [TestCase("""{"order_ref":"%2e%2e","instruction_ref":"I-1"}""", "order_ref")]
    [TestCase("""{"order_ref":"O-1","instruction_ref":"%2E"}""", "instruction_ref")]
    [TestCase("""{"order_ref":".%2e","instruction_ref":"I-1"}""", "order_ref")]
    [TestCase("""{"order_ref":"O-1","instruction_ref":"..\u002f.."}""", "instruction_ref")]
    [TestCase("""{"order_ref":"O-1","instruction_ref":"I-1","metadata":[1]}""", "metadata")]
    [TestCase("""{"order_ref":"O-1","instruction_ref":"I-1","metadata":{"k":1}}""", "metadata.k")]
    public async Task ABadLinkIsA400NamingTheFieldAndChangesNothing(string json, string field)
    {
        await using var service = await TestService.StartSqliteAsync();
        using var response = await PutLink(service.Operator, "TX-BAD", json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await TestService.JsonAsync(response)).GetProperty("field").GetString(), Is.EqualTo(field));
        Assert.That(await service.GetJsonOrNullAsync("/v1/instruction-links/TX-BAD"), Is.Null);
    }

    [Test]
    public async Task ASecondTransactionForAnInstructionAndAMoveAfterReportingAre409sThatChangeNothing()
    {
        await using var orchestrator = await OrchestratorServer.StartAsync(TimeProvider.System);
        await using var service = await TestService.StartSqliteAsync(settings: orchestrator.Settings);
        foreach (var id in new[] { "U-1", "U-2" })
        {
            using var put = await service.PutAsync(new Txn { Id = id, Status = "COMPLETE" });
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var first = await PutLink(service.Operator, "U-1", """{"order_ref":"ORD-U","instruction_ref":"INS-U"}"""))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using (var second = await PutLink(service.Operator, "U-2", """{"order_ref":"ORD-U","instruction_ref":"INS-U"}"""))
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(second.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await second.Content.ReadAsStringAsync(), Does.Contain("linked to another transaction"));
        }

        Assert.That(await service.GetJsonOrNullAsync("/v1/instruction-links/U-2"), Is.Null);

        using (var moved = await PutLink(service.Operator, "U-1", """{"order_ref":"ORD-U","instruction_ref":"INS-OTHER"}"""))
        {
            Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await moved.Content.ReadAsStringAsync(), Does.Contain("cannot move"));
        }

        using (var deleted = await service.Operator.DeleteAsync("/v1/instruction-links/U-1"))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        }

        var link = (await service.GetJsonOrNullAsync("/v1/instruction-links/U-1"))!.Value;
        Assert.That(link.GetProperty("instruction_ref").GetString(), Is.EqualTo("INS-U"));
    }

    [Test]
    public async Task LinksNeedTheOperatorKey()
    {
        await using var service = await TestService.StartSqliteAsync();
        using var response = await PutLink(service.Anonymous, "TX-2", """{"order_ref":"O-1","instruction_ref":"I-1"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await service.GetJsonOrNullAsync("/v1/instruction-links/TX-2"), Is.Null);
    }

    [Test]
    public async Task TheOrchestratorIsNotATenantEndpoint()
    {
        await using var service = await TestService.StartSqliteAsync();
        var endpoints = (await service.GetJsonOrNullAsync("/v1/webhook-endpoints"))!.Value.GetProperty("endpoints");
        Assert.That(endpoints.GetArrayLength(), Is.Zero);
        using var deleted = await service.Operator.DeleteAsync("/v1/webhook-endpoints/orchestrator");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
