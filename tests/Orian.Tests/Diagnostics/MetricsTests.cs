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
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, i.IsObservable ? v : 1, tags, i.IsObservable ? "" : "count"));
            _listener.Start();
        }

        public ConcurrentDictionary<string, double> Sums { get; } = new();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, string suffix = "")
        {
            var key = instrument.Name + suffix + string.Concat(tags.ToArray().OrderBy(t => t.Key).Select(t => $"|{t.Key}={t.Value}"));
            if (instrument.IsObservable)
            {
                if (_observing)
                {
                    _observed[key] = value;
                }

                return;
            }

            Sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        }

        public double Get(string key) => Sums.GetValueOrDefault(key);

        /// <summary>The observable gauges' current values, by instrument and tags (not summed into <see cref="Sums"/>).</summary>
        public Dictionary<string, double> Observe()
        {
            lock (_observed)
            {
                _observing = true;
                _observed.Clear();
                _listener.RecordObservableInstruments();
                _observing = false;
                return new Dictionary<string, double>(_observed);
            }
        }

        private readonly Dictionary<string, double> _observed = [];
        private bool _observing;

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

    [Test]
    public async Task RefusalsAreCountedByReasonAndCredentialFailuresLoggedOncePerSource()
    {
        using var logs = new CapturedLogs();
        await using var service = await TestService.StartSqliteAsync(logs.AddTo);
        using var recorded = new Recorded(service.Services);
        using var stranger = new HttpClient { BaseAddress = service.Address };
        stranger.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("pps:wrong")));
        for (var i = 0; i < 4; i++)
        {
            using var refused = await service.PutRawAsync("BAD1", new Txn { Id = "BAD1" }.Json, stranger);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using (var malformed = await service.PutRawAsync("BAD2", "{\"id\":"))
        {
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        using (var mismatch = await service.PutRawAsync("OTHER", new Txn { Id = "BAD3" }.Json))
        {
            Assert.That(mismatch.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        using (var operatorRefused = await service.Anonymous.GetAsync("/v1/status"))
        {
            Assert.That(operatorRefused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using (var ok = await service.PutAsync(new Txn { Id = "GOOD1" }))
        {
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // A valid key without the role, and a failed HMAC exchange: counted and logged as well.
        using (var created = await service.Operator.PostAsync("/v1/api-keys", new StringContent("""{"name":"reader","roles":["orian-account-read"]}""", Encoding.UTF8, "application/json")))
        using (var reader = new HttpClient { BaseAddress = service.Address })
        {
            reader.DefaultRequestHeaders.Add("X-Api-Key", (await TestService.JsonAsync(created)).GetProperty("private_key").GetString());
            using var forbidden = await reader.GetAsync("/v1/audit");
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        using (var hmac = new HttpRequestMessage(HttpMethod.Post, "/v1/identity/hmac") { Content = new ByteArrayContent([]) })
        {
            hmac.Headers.TryAddWithoutValidation("Authorization", $"Hmac pk_nobody:{Guid.NewGuid():D}:{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}:AAAA");
            using var refused = await service.Anonymous.SendAsync(hmac);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Assert.Multiple(() =>
        {
            Assert.That(recorded.Get("orian.auth.failures|orian.reason=forbidden|orian.surface=operator"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.auth.failures|orian.reason=unknown_key|orian.surface=hmac"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.rejections|http.response.status_code=401|orian.reason=unauthorized"), Is.EqualTo(4));
            Assert.That(recorded.Get("orian.rejections|http.response.status_code=400|orian.reason=invalid_field"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.rejections|http.response.status_code=400|orian.reason=id_mismatch"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.auth.failures|orian.reason=unauthorized|orian.surface=ingress"), Is.EqualTo(4));
            Assert.That(recorded.Get("orian.auth.failures|orian.reason=unauthorized|orian.surface=operator"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.request.durationcount|http.response.status_code=401|orian.kind=notification"), Is.EqualTo(4));
            Assert.That(recorded.Get("orian.request.durationcount|http.response.status_code=200|orian.kind=notification"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.events|orian.outcome=applied|orian.provider=sqlite"), Is.EqualTo(1), "nothing refused reached the ledger");
        });
        var lines = logs.Lines.Where(l => l.Contains("[1208]")).ToList();
        Assert.That(lines.Count(l => l.Contains("on ingress")), Is.EqualTo(1), "four failures from one source, one line: " + string.Join("\n", lines));
        Assert.That(lines.Count(l => l.Contains("on operator")), Is.EqualTo(1), "the 401 and the 403 from one source, one line");
        Assert.That(lines.Count(l => l.Contains("on hmac")), Is.EqualTo(1));
        Assert.That(logs.Lines.Count(l => l.Contains("[1200]")), Is.EqualTo(2), "the two 400s are logged one by one; the 401s are not");
        Assert.That(logs.Lines.Where(l => l.Contains("AuthenticationHandler[", StringComparison.Ordinal)), Is.Empty,
            "the authentication handlers write no line of their own per request (a scan would write one per guess)");
    }

    [Test]
    public async Task ACommitThatFailsIsCheckedRunAgainCountedAndLogged()
    {
        using var logs = new CapturedLogs();
        CommitGateStore? gate = null;
        await using var service = await TestService.StartSqliteAsync(s =>
        {
            logs.AddTo(s);
            s.AddSingleton<Orian.Ledger.ILedgerStore>(sp => gate = new CommitGateStore(sp.GetRequiredService<Orian.Storage.LedgerStore>()));
        });
        using var recorded = new Recorded(service.Services);
        gate!.FailInsteadOfNextCommit = true;
        using (var put = await service.PutAsync(new Txn { Id = "RETRY-1" }))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the batch was run again and committed");
        }

        Assert.That(recorded.Get("orian.batch.retries|orian.reason=commit_not_applied"), Is.EqualTo(1));
        Assert.That(recorded.Get("orian.events|orian.outcome=applied|orian.provider=sqlite"), Is.EqualTo(1), "applied once");
        Assert.That(logs.Lines.Count(l => l.Contains("[2001]") && l.Contains("it did not commit")), Is.EqualTo(1), logs.All);
        Assert.That(logs.Lines.Count(l => l.Contains("[2000]") && l.Contains("attempt 2 of 3") && l.Contains("commit_not_applied")), Is.EqualTo(1));
    }

    [Test]
    public async Task DecisionsStandInsAndRevocationsAreCounted()
    {
        using var logs = new CapturedLogs();
        CommitGateStore? gate = null;
        await using var service = await TestService.StartSqliteAsync(
            s =>
            {
                logs.AddTo(s);
                s.AddSingleton<Orian.Ledger.ILedgerStore>(sp => gate = new CommitGateStore(sp.GetRequiredService<Orian.Storage.LedgerStore>()));
            },
            new() { ["Orian:Authorisation:DeadlineMs"] = "200" });
        using var recorded = new Recorded(service.Services);
        using (var load = await service.PutAsync(new Txn { Id = "LOAD", Direction = "CREDIT", Status = "COMPLETE", Amount = 150 }))
        {
            Assert.That(load.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        static Txn Request(string id) => new() { Id = id, Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 100 };
        using (var approved = await service.PutAsync(Request("D1")))
        using (var declined = await service.PutAsync(Request("D2")))
        {
            Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(declined.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        gate!.Close(); // the next decision commits only after its request gave up: a stand-in, then a revocation
        using (var late = await service.PutAsync(Request("D3")))
        {
            Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        gate.Open();
        // The reconciler settles the late decision on its own loop, after the decision worker moved on.
        await Until.TrueAsync(() => recorded.Get("orian.revocations") >= 1, "the late decision revoked");

        Assert.Multiple(() =>
        {
            Assert.That(recorded.Get("orian.decisions|orian.result=APPROVED|orian.result_detail=SUCCESSFUL|orian.stand_in=False"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.decisions|orian.result=DECLINED|orian.result_detail=INSUFFICIENT_FUNDS|orian.stand_in=False"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.decisions|orian.result=DECLINED|orian.result_detail=SYSTEM_ERROR|orian.stand_in=True"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.stand_ins|orian.cause=deadline"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.revocations"), Is.EqualTo(1));
            Assert.That(recorded.Get("orian.decision.durationcount"), Is.EqualTo(3));
            Assert.That(recorded.Get("orian.request.durationcount|http.response.status_code=200|orian.kind=authorisation"), Is.EqualTo(3));
        });
        Assert.That(logs.Lines.Count(l => l.Contains("[2002]") && l.Contains("transaction D3 version 1")), Is.EqualTo(1), "the revocation is logged");
        var recent = service.Services.GetRequiredService<Orian.Service.Diagnostics.OrianMetrics>().Recent.Snapshot();
        Assert.That((recent.Decisions, recent.StandIns), Is.EqualTo((3L, 1L)), "the status view's minute agrees");
    }

    [Test]
    public async Task GaugesShowTheQueueBehindABusyWorkerAndTheSampledBacklog()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Otherwise = WebhookReceiver.Status(500);
        GatedLedgerStore? gated = null;
        await using var service = await TestService.StartSqliteAsync(
            s => s.AddSingleton<Orian.Ledger.ILedgerStore>(sp => gated = new GatedLedgerStore(sp.GetRequiredService<Orian.Storage.LedgerStore>())),
            new() { ["Orian:Pipeline:Partitions"] = "2", ["Orian:Telemetry:SampleSeconds"] = "1", ["Orian:Outbox:RetrySchedule"] = "1h" });
        using var recorded = new Recorded(service.Services);
        var queued = recorded.Observe().Where(g => g.Key.StartsWith("orian.partition.queued", StringComparison.Ordinal)).ToList();
        Assert.That(queued, Has.Count.EqualTo(4), "two partitions, two lanes each");
        Assert.That(queued.Sum(g => g.Value), Is.Zero);

        // The first event holds the worker at the gate; three more of the same account wait behind it.
        var first = service.PutAsync(new Txn { Id = "G0", Account = "GA" });
        await gated!.Entered;
        var waiting = Enumerable.Range(1, 3).Select(i => service.PutAsync(new Txn { Id = $"G{i}", Account = "GA" })).ToList();
        await Until.TrueAsync(() => recorded.Observe().Where(g => g.Key.Contains("orian.lane=notification", StringComparison.Ordinal)).Sum(g => g.Value) == 3,
            "three notifications queued behind the gate");
        gated.Release();
        foreach (var put in waiting.Prepend(first))
        {
            using var response = await put;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // An overdrawn account, and a delivery that keeps failing (next try in an hour): the sampler sees both.
        using (var created = await service.Operator.PostAsync("/v1/webhook-endpoints", new StringContent(
                   $"{{\"url\":\"{receiver.Url}\",\"events\":[\"transaction.updated\"]}}", Encoding.UTF8, "application/json")))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using (var overdraw = await service.PutAsync(new Txn { Id = "OD1", Account = "GB", Status = "COMPLETE", Amount = 500 }))
        {
            Assert.That(overdraw.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Until.TrueAsync(() =>
        {
            var gauges = recorded.Observe();
            return gauges.GetValueOrDefault("orian.accounts.overdrawn") == 2 && gauges.GetValueOrDefault("orian.outbox.pending") == 1;
        }, "the sampler reads the overdrawn accounts (GA and GB) and the failing delivery");
        var stats = (await service.GetJsonOrNullAsync("/v1/deliveries/stats"))!.Value;
        Assert.That(stats.GetProperty("pending").GetInt64(), Is.EqualTo(1), "the gauge agrees with the stats endpoint");
        Assert.That(recorded.Observe()["orian.outbox.dead_letters"], Is.Zero);
    }

    [Test]
    public async Task EverySchemaScriptAppliedAtStartIsLoggedOnce()
    {
        using var logs = new CapturedLogs();
        await using var service = await TestService.StartSqliteAsync(logs.AddTo);
        var scripts = Orian.Storage.SchemaScript.For("sqlite");
        var applied = logs.Lines.Where(l => l.Contains("[2100]")).ToList();
        Assert.That(applied, Has.Count.EqualTo(scripts.Count), string.Join("\n", applied));
        Assert.That(scripts.All(script => applied.Count(l => l.Contains(script.Name)) == 1), string.Join("\n", applied));
    }
}
