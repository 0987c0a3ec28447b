using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Orian.Tests.Support;

namespace Orian.Tests.Diagnostics;

/// <summary>The <c>Orian</c> spans against a running service. The listener hears every host in the
/// test process, so each test picks out its own spans by transaction id or trace id.</summary>
public sealed class TracingTests
{
    private sealed class Spans : IDisposable
    {
        private readonly ActivityListener _listener;

        public Spans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is "Orian" or "System.Net.Http",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => Stopped.Enqueue(a),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ConcurrentQueue<Activity> Stopped { get; } = new();

        public List<Activity> Named(string name) => [.. Stopped.Where(a => a.OperationName == name)];

        public void Dispose() => _listener.Dispose();
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name)?.ToString();

    [Test]
    public async Task ABatchSpanLinksToTheRequestSpanOfEveryEventItCommits()
    {
        using var spans = new Spans();
        GatedLedgerStore? gated = null;
        await using var service = await TestService.StartSqliteAsync(
            s => s.AddSingleton<Orian.Ledger.ILedgerStore>(sp => gated = new GatedLedgerStore(sp.GetRequiredService<Orian.Storage.LedgerStore>())),
            new() { ["Orian:Pipeline:Partitions"] = "1" });

        // One event holds the worker at the gate, so the next four commit together in one batch.
        var first = service.PutAsync(new Txn { Id = "TR-0" });
        await gated!.Entered;
        var rest = Enumerable.Range(1, 4).Select(i => service.PutAsync(new Txn { Id = $"TR-{i}" })).ToList();
        await Until.TrueAsync(() => service.Services.GetRequiredService<Orian.Service.Pipeline.IngestPipeline>().QueueDepths().Sum(q => q.Notifications) == 4, "four events queued");
        gated.Release();
        foreach (var put in rest.Prepend(first))
        {
            using var response = await put;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var receives = spans.Named("orian.receive").Where(a => Tag(a, "orian.transaction_id")?.StartsWith("TR-", StringComparison.Ordinal) == true).ToList();
        Assert.That(receives, Has.Count.EqualTo(5));
        var batches = spans.Named("orian.batch").Where(b => b.Links.Any(l => receives.Any(r => r.Context == l.Context))).ToList();
        Assert.That(batches, Has.Count.EqualTo(2), "the gated one and the one after it");
        foreach (var receive in receives)
        {
            Assert.That(batches.Count(b => b.Links.Any(l => l.Context == receive.Context)), Is.EqualTo(1), $"{Tag(receive, "orian.transaction_id")} is linked by exactly one batch");
        }

        var big = batches.Single(b => b.Links.Count() == 4);
        Assert.That(Tag(big, "orian.batch.size"), Is.EqualTo("4"));
        Assert.That(big.Parent, Is.Null, "a batch is a root of its own, not a child of one of its requests");
        Assert.That(big.ParentSpanId, Is.EqualTo(default(ActivitySpanId)));
    }

    [Test]
    public async Task AnIncomingTraceparentIsContinuedAndItsTraceIdIsOnTheLogLines()
    {
        using var spans = new Spans();
        using var logs = new CapturedLogs();
        await using var service = await TestService.StartSqliteAsync(logs.AddTo);
        var traceId = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();
        foreach (var (id, body) in new[] { ("TP-1", new Txn { Id = "TP-1" }.Json), ("TP-2", "{\"id\":") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/transactions/{id}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("traceparent", $"00-{traceId}-{parent}-01");
            using var response = await service.Pps.SendAsync(request);
            Assert.That((int)response.StatusCode, Is.EqualTo(id == "TP-1" ? 200 : 400));
        }

        var receive = spans.Named("orian.receive").Single(a => Tag(a, "orian.transaction_id") == "TP-1");
        Assert.That(receive.TraceId, Is.EqualTo(traceId), "the request continues the caller's trace");
        Assert.That(Tag(receive, "orian.version"), Is.EqualTo("1"));
        Assert.That(Tag(receive, "http.response.status_code"), Is.EqualTo("200"));
        var rejected = logs.Lines.Single(l => l.Contains("[1200]") && l.Contains("TP-2"));
        Assert.That(rejected, Does.Contain($"TraceId:{traceId}"), "the 400's log line carries the caller's trace id");
    }

    [Test]
    public async Task AWebhookContinuesTheTraceOfItsRequestAndCarriesItsDeliverySpan()
    {
        using var spans = new Spans();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await TestService.StartSqliteAsync();
        using (var created = await service.Operator.PostAsync("/v1/webhook-endpoints", new StringContent(
                   $"{{\"url\":\"{receiver.Url}\",\"events\":[\"transaction.updated\"]}}", Encoding.UTF8, "application/json")))
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        // Taken before the PUT: the batch hands its delivery to the senders as it commits, so the
        // webhook may well arrive before the PUT's own answer does.
        var arrived = receiver.NextRequest;
        using (var put = await service.PutAsync(new Txn { Id = "TW-1" }))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await arrived.WaitAsync(TimeSpan.FromSeconds(60));
        var received = receiver.Requests.Single();
        await Until.TrueAsync(() => spans.Named("orian.deliver").Any(a => Tag(a, "orian.event_id") == received.Id), "the delivery span ended");
        var deliver = spans.Named("orian.deliver").Single(a => Tag(a, "orian.event_id") == received.Id);
        var receive = spans.Named("orian.receive").Single(a => Tag(a, "orian.transaction_id") == "TW-1");
        Assert.Multiple(() =>
        {
            Assert.That(deliver.TraceId, Is.EqualTo(receive.TraceId), "the delivery continues the trace of the request that caused it");
            Assert.That(deliver.ParentSpanId, Is.EqualTo(receive.SpanId), "as a child of that request's span");
            // HttpClient sends its own span, a child of the delivery span.
            var parts = received.Traceparent.Split('-');
            Assert.That(parts, Has.Length.EqualTo(4), received.Traceparent);
            Assert.That(parts[1], Is.EqualTo(deliver.TraceId.ToString()), "the request carries the delivery's trace");
            var sent = spans.Stopped.Single(a => a.SpanId.ToString() == parts[2]);
            Assert.That(sent.ParentSpanId, Is.EqualTo(deliver.SpanId), "the span it names is the delivery span's own request");
            Assert.That(Tag(deliver, "orian.transaction_id"), Is.EqualTo("TW-1"));
            Assert.That(Tag(deliver, "orian.result"), Is.EqualTo("delivered"));
            Assert.That(Tag(deliver, "http.response.status_code"), Is.EqualTo("200"));
            Assert.That(spans.Named("orian.batch").Any(a => Tag(a, "orian.deliveries") == "1"), "the batch that committed the event queued its delivery");
        });
    }

    /// <summary>Header values a caller could send as <c>traceparent</c>: well formed, nearly so, and hostile.</summary>
    private static readonly Gen<string> Traceparents =
        from hex32 in Gen.Elements('0', '1', '9', 'a', 'f', 'F', 'g').ArrayOf(32)
        from hex16 in Gen.Elements('0', '1', 'a', 'f', 'z').ArrayOf(16)
        from version in Gen.Elements("00", "ff", "01", "0", "000")
        from flags in Gen.Elements("00", "01", "ff", "1", "")
        from extra in Gen.Elements("", "-extra", " ", "\u00e9", "\u0000", new string('a', 10_000), new string('b', 20_000), ",00-x-y-01")
        from shape in Gen.Choose(0, 3)
        select shape switch
        {
            0 => $"{version}-{new string(hex32)}-{new string(hex16)}-{flags}{extra}",
            1 => $"00-{new string('0', 32)}-{new string('0', 16)}-01{extra}",
            2 => extra,
            _ => $"{version}-{new string(hex32)}{extra}",
        };

    [Test]
    public async Task AnyTraceparentIsEitherContinuedOrIgnoredButNeverFailsOrStoresAMalformedContext()
    {
        using var spans = new Spans();
        await using var service = await TestService.StartSqliteAsync();
        var storage = service.Services.GetRequiredService<Orian.Storage.OrianStorage>();
        // The flags are eight bits: besides "sampled" (01), trace context level 2 defines "random" (02),
        // which System.Diagnostics.DiagnosticSource 11 sets on the ids it makes.
        var wellFormed = new System.Text.RegularExpressions.Regex("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
        var n = 0;
        var failures = new List<string>();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true), Prop.ForAll(Traceparents.ToArbitrary(), header =>
        {
            var id = $"TPH-{Interlocked.Increment(ref n)}";
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/transactions/{id}") { Content = new StringContent(new Txn { Id = id }.Json, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("traceparent", header);
            HttpResponseMessage response;
            try
            {
                response = service.Pps.SendAsync(request).GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                return true.Label("not sent"); // the client itself would not send it (a NUL, a non-ASCII character): nothing reached the service
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status != 200)
                {
                    if (status is 400 or 431)
                    {
                        return true.Label("refused by Kestrel"); // Kestrel refused the header itself (too large, or a character it does not accept)
                    }

                    failures.Add($"{status} for a traceparent of {header.Length} characters");
                    return false.Label(failures[^1]);
                }

                using var connection = storage.Database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
                var stored = Dapper.SqlMapper.Query<string?>(connection, "SELECT trace_parent FROM outbox_events WHERE transaction_id = @id", new { id }).ToList();
                if (stored.Count > 0 && stored.All(t => t is not null && wellFormed.IsMatch(t)))
                {
                    return true.Label("stored well formed");
                }

                failures.Add($"stored [{string.Join(",", stored)}] for '{header[..Math.Min(80, header.Length)]}'");
                return false.Label(failures[^1]);
            }
        }));
        Assert.That(failures, Is.Empty);
    }
}
