using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Orian.Tests.Support;

namespace Orian.Tests.Diagnostics;

/// <summary>The <c>Orian</c> meter against a running service: the counts move exactly as the traffic
/// dictates. The listener hears only this service's meter (its own meter factory), so other hosts in
/// the same test process do not disturb the counts.</summary>
public sealed class MetricsTests
{
    /// <summary>Sums of every measurement per instrument and tag set, e.g. "orian.events|orian.outcome=applied|orian.provider=sqlite".</summary>
    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Recorded(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Orian" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, 1, tags, "count"));
            _listener.Start();
        }

        public ConcurrentDictionary<string, double> Sums { get; } = new();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, string suffix = "")
        {
            var key = instrument.Name + suffix + string.Concat(tags.ToArray().OrderBy(t => t.Key).Select(t => $"|{t.Key}={t.Value}"));
            Sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        }

        public double Get(string key) => Sums.GetValueOrDefault(key);

        public void Dispose() => _listener.Dispose();
    }

    [Test]
    public async Task EventsAreCountedByOutcomeAndBatchesBySize()
    {
        await using var service = await TestService.StartSqliteAsync();
        using var recorded = new Recorded(service.Services);
        foreach (var txn in new[] { new Txn { Id = "MX1" }, new Txn { Id = "MX2" }, new Txn { Id = "MX3", Version = 2 }, new Txn { Id = "MX1" }, new Txn { Id = "MX3", Version = 1 } })
        {
            using var put = await service.PutAsync(txn);
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(recorded.Get("orian.events|orian.outcome=applied|orian.provider=sqlite"), Is.EqualTo(3));
        Assert.That(recorded.Get("orian.events|orian.outcome=duplicate|orian.provider=sqlite"), Is.EqualTo(1));
        Assert.That(recorded.Get("orian.events|orian.outcome=stale|orian.provider=sqlite"), Is.EqualTo(1));
        Assert.That(recorded.Get("orian.batch.size"), Is.EqualTo(5), "every event was in some committed batch");
        Assert.That(recorded.Get("orian.batch.durationcount"), Is.InRange(1, 5), "one duration per batch");
    }

    [Test]
    public async Task DeliveriesAreCountedByResultAndDestination()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond(1, WebhookReceiver.Status(500));
        await using var service = await TestService.StartSqliteAsync(settings: new() { ["Orian:Outbox:RetrySchedule"] = "10ms" });
        using var recorded = new Recorded(service.Services);
        using (var created = await service.Operator.PostAsync("/v1/webhook-endpoints", new StringContent(
                   $"{{\"url\":\"{receiver.Url}\",\"events\":[\"transaction.updated\"]}}", Encoding.UTF8, "application/json")))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using (var put = await service.PutAsync(new Txn { Id = "MD1" }))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Until.TrueAsync(() => recorded.Get("orian.deliveries|orian.destination=webhook|orian.result=delivered") >= 1, "the retry delivered");
        Assert.That(recorded.Get("orian.deliveries|orian.destination=webhook|orian.result=failed"), Is.EqualTo(1), "the 500 first");
        Assert.That(recorded.Get("orian.deliveries|orian.destination=webhook|orian.result=delivered"), Is.EqualTo(1));
        Assert.That(recorded.Get("orian.delivery.durationcount|orian.destination=webhook"), Is.EqualTo(2));
        Assert.That(receiver.Requests, Has.Count.EqualTo(2));
    }
}
