using System.Net;
using System.Text;
using System.Text.Json;
using Orian.Storage;
using Orian.Tests.Support;

namespace Orian.Tests.Diagnostics;

/// <summary><c>GET /v1/status</c> against the state the test made, and without its database.</summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class StatusTests<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private async Task<TestService> StartAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null) =>
        await (await CreateDatabaseAsync("status")).StartServiceAsync(services, settings);

    private static async Task<JsonElement> StatusAsync(TestService service)
    {
        using var response = await service.Operator.GetAsync("/v1/status");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await TestService.JsonAsync(response);
    }

    [Test]
    public async Task TheStatusShowsWhatTheTrafficDid()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Otherwise = WebhookReceiver.Status(500);
        await using var service = await StartAsync(settings: new() { ["Orian:Pipeline:Partitions"] = "3", ["Orian:Outbox:RetrySchedule"] = "10ms" });
        using (var created = await service.Operator.PostAsync("/v1/webhook-endpoints", new StringContent(
                   $"{{\"url\":\"{receiver.Url}\",\"events\":[\"transaction.updated\"]}}", Encoding.UTF8, "application/json")))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using (var load = await service.PutAsync(new Txn { Id = "ST-LOAD", Account = "ST-A", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 }))
        using (var spend = await service.PutAsync(new Txn { Id = "ST-1", Account = "ST-A", Amount = 100 }))
        using (var again = await service.PutAsync(new Txn { Id = "ST-1", Account = "ST-A", Amount = 100 }))
        using (var overdraw = await service.PutAsync(new Txn { Id = "ST-2", Account = "ST-B", Status = "COMPLETE", Amount = 50 }))
        using (var bad = await service.PutRawAsync("ST-3", "{"))
        using (var approve = await service.PutAsync(new Txn { Id = "ST-4", Account = "ST-A", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 10 }))
        {
            Assert.That(new[] { load, spend, again, overdraw, approve }.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        // Every delivery fails twice (10 ms apart) and is dead-lettered.
        await Until.TrueAsync(async () =>
        {
            var stats = (await service.GetJsonOrNullAsync("/v1/deliveries/stats"))!.Value;
            return stats.GetProperty("dead").GetInt64() > 0 && stats.GetProperty("pending").GetInt64() == 0 && stats.GetProperty("events_not_fanned_out").GetInt64() == 0;
        }, "every delivery dead-lettered");
        var deliveries = (await service.GetJsonOrNullAsync("/v1/deliveries/stats"))!.Value;
        var status = await StatusAsync(service);

        Assert.Multiple(() =>
        {
            Assert.That(status.GetProperty("database").GetProperty("reachable").GetBoolean(), Is.True);
            Assert.That(status.GetProperty("database").GetProperty("provider").GetString(), Is.EqualTo(new TProvider().Name));
            var partitions = status.GetProperty("partitions").EnumerateArray().ToList();
            Assert.That(partitions.Select(p => p.GetProperty("partition").GetInt32()), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(partitions.Sum(p => p.GetProperty("notifications").GetInt32() + p.GetProperty("authorisations").GetInt32()), Is.Zero, "all answered");
            var events = status.GetProperty("events");
            Assert.That(events.GetProperty("applied").GetInt64(), Is.EqualTo(4), "load, spend, overdraw, authorisation");
            Assert.That(events.GetProperty("duplicate").GetInt64(), Is.EqualTo(1));
            Assert.That(events.GetProperty("rejected").GetInt64(), Is.EqualTo(1));
            Assert.That(events.GetProperty("per_second").GetDouble(), Is.GreaterThan(0));
            var decisions = status.GetProperty("decisions");
            Assert.That(decisions.GetProperty("count").GetInt64(), Is.EqualTo(1));
            Assert.That(decisions.GetProperty("stand_ins").GetInt64(), Is.Zero);
            Assert.That(decisions.GetProperty("p50_ms").GetDouble(), Is.GreaterThan(0));
            var outbox = status.GetProperty("outbox");
            Assert.That(outbox.GetProperty("dead").GetInt64(), Is.EqualTo(deliveries.GetProperty("dead").GetInt64()), "the status agrees with the stats");
            Assert.That(outbox.GetProperty("pending").GetInt64(), Is.Zero);
            Assert.That(outbox.GetProperty("counted_up_to").GetInt64(), Is.EqualTo(Orian.Delivery.Backlog.CountedUpTo), "where its counts stop, said");
            Assert.That(outbox.GetProperty("delivered_last_minute").GetInt64(), Is.Zero, "nothing got a 2xx");
            Assert.That(status.GetProperty("accounts_overdrawn").GetInt64(), Is.EqualTo(1), "ST-B");
        });
    }

    [Test]
    public async Task WithoutItsDatabaseTheStatusStillAnswersAndSaysSo()
    {
        await using var service = await StartAsync(s => s.AddSingleton<IDeliveryAdmin>(sp => new UnreachableDeliveries()));
        using (var put = await service.PutAsync(new Txn { Id = "SD-1" }))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var status = await StatusAsync(service);
        var database = status.GetProperty("database");
        Assert.That(database.GetProperty("reachable").GetBoolean(), Is.False);
        Assert.That(database.GetProperty("error").GetString(), Is.EqualTo(nameof(TimeoutException)));
        Assert.That(status.GetProperty("outbox").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(status.GetProperty("events").GetProperty("applied").GetInt64(), Is.EqualTo(1), "the in-memory parts are still there");
    }

    /// <summary>A delivery store whose database does not answer.</summary>
    private sealed class UnreachableDeliveries : IDeliveryAdmin
    {
        public Task<OutboxBacklog> GetBacklogAsync(long countUpTo, CancellationToken cancellationToken) => throw new TimeoutException("the database did not answer");

        public Task<IReadOnlyList<DeliveryRow>> ListDeliveriesAsync(string? state, long afterId, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<(DeliveryRow Delivery, IReadOnlyList<AttemptRow> Attempts)?> GetDeliveryAsync(long id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DeliveryStats>> GetStatsAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> RedriveAsync(long? id, Orian.Storage.OperatorContext who, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
