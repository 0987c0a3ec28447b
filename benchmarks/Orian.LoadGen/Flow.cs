using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>
/// Events in, webhooks out, at once. First the ingest-only maximum of this run: events as fast as 64
/// connections can send them, with no endpoint subscribed. Then a webhook endpoint (a Kestrel
/// receiver in this process on 127.0.0.1) is registered and events are offered open loop at fixed
/// fractions of that maximum, a step at a time. For each step: events acknowledged per second,
/// webhooks received per second over the same window, and the delivery lag of each event (from its
/// acknowledgement to the arrival of its webhook) at p50, p99 and max. With <c>--slow</c> a second
/// endpoint is subscribed that answers every webhook after 2 s: the lag reported is the fast one's.
/// The receivers run as child processes (<c>receive</c>), so that the generator's own work cannot
/// delay them; they stamp each arrival with the machine's monotonic clock, which the generator's
/// acknowledgement stamps share.
/// </summary>
internal static class Flow
{
    internal sealed class Step(int rate)
    {
        public int Rate { get; } = rate;
        public ConcurrentDictionary<string, long> Acked { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, long> Arrived { get; } = new(StringComparer.Ordinal);
        public int Failed;

        /// <summary>Why requests failed: an HTTP status, or the exception (and its cause) that ended them.</summary>
        public ConcurrentDictionary<string, int> FailedBy { get; } = new(StringComparer.Ordinal);

        public void Fail(string why)
        {
            Interlocked.Increment(ref Failed);
            FailedBy.AddOrUpdate(why, 1, (_, n) => n + 1);
        }

        /// <summary>The failures by cause, most frequent first (empty when none failed).</summary>
        public string FailureCauses() => string.Join("; ", FailedBy.OrderByDescending(f => f.Value).Take(4).Select(f => $"{f.Value} {f.Key}"));

        public long Start;
        public long End;
    }

    public static async Task<int> RunAsync(Uri service, string credentials, string operatorKey, int seconds, double[] fractions, bool slow)
    {
        if (!service.IsLoopback)
        {
            Console.Error.WriteLine("Load only 127.0.0.1.");
            return 2;
        }

        using var pps = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        pps.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        var run = $"f{Environment.ProcessId}";
        var clock = Stopwatch.StartNew();

        // 1. The ingest-only maximum, closed loop, no endpoint subscribed.
        var sent = 0;
        var maxStart = clock.Elapsed;
        var maxEnd = maxStart + TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            while (clock.Elapsed < maxEnd)
            {
                var n = Interlocked.Increment(ref sent);
                using var response = await Put(pps, $"{run}-max-{n}", n);
                response.EnsureSuccessStatusCode();
            }
        }));
        var maxRate = sent / (clock.Elapsed - maxStart).TotalSeconds;
        Console.WriteLine($"ingest only (64 connections, closed loop, {seconds} s): {maxRate:0} events/s acknowledged");

        // 2. Receivers and endpoints.
        Step? current = null;
        using var fast = Receiver.Start(0, (id, at) => Volatile.Read(ref current)?.Arrived.TryAdd(id, at));
        using var slowReceiver = slow ? Receiver.Start(2000, (_, _) => { }) : null;
        using var admin = new HttpClient { BaseAddress = service };
        admin.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        foreach (var receiver in new[] { fast, slowReceiver }.OfType<Receiver>())
        {
            (await admin.PostAsync("/v1/webhook-endpoints", new StringContent(
                $"{{\"url\":\"{receiver.Url}\",\"events\":[\"transaction.updated\"]}}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        // The events of the ingest-only phase waited for an endpoint (an event older than every
        // endpoint goes nowhere): let the fan-out pass over them before the steps start.
        var drained = Stopwatch.StartNew();
        while (true)
        {
            using var stats = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync("/v1/deliveries/stats"));
            if (stats.RootElement.GetProperty("events_not_fanned_out").GetInt64() == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        Console.WriteLine($"the {sent} events of the ingest-only phase passed by the fan-out in {drained.Elapsed.TotalSeconds:0.0} s");

        // 3. Open-loop steps.
        // A warm-up step first (reported, not judged): connections to the receivers, the dispatcher's
        // first plans and the autovacuum that the ingest-only phase's rows call for happen here.
        var ok = true;
        foreach (var fraction in fractions.Prepend(-0.2))
        {
            var warmUp = fraction < 0;
            var step = new Step((int)(maxRate * Math.Abs(fraction)));
            Volatile.Write(ref current, step);
            await OfferAsync(pps, step, seconds, n => ($"{run}-{step.Rate}-{n}", Put(pps, $"{run}-{step.Rate}-{n}", (int)n)));
            await DrainAsync(step, TimeSpan.FromMinutes(1));
            var passed = Report(step, seconds, Math.Abs(fraction), slow, warmUp);
            ok &= warmUp || passed;
        }

        return ok ? 0 : 1;
    }

    /// <summary>Offers <see cref="Step.Rate"/> requests a second for <paramref name="seconds"/>, open loop
    /// (each sent when due, whatever the answers do), and stamps each acknowledgement.</summary>
    internal static async Task OfferAsync(HttpClient pps, Step step, int seconds, Func<long, (string Id, Task<HttpResponseMessage> Sent)> send)
    {
        var inFlight = new List<Task>();
        step.Start = Stopwatch.GetTimestamp();
        var stepClock = Stopwatch.StartNew();
        long offered = 0;
        while (stepClock.Elapsed.TotalSeconds < seconds)
        {
            while (offered < stepClock.Elapsed.TotalSeconds * step.Rate)
            {
                var n = offered++;
                inFlight.Add(Task.Run(async () =>
                {
                    try
                    {
                        var (id, sent) = send(n);
                        using var response = await sent;
                        if (response.IsSuccessStatusCode)
                        {
                            step.Acked.TryAdd(id, Stopwatch.GetTimestamp());
                        }
                        else
                        {
                            step.Fail($"HTTP {(int)response.StatusCode}");
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException)
                    {
                        // refused, timed out, or the client ran out of connections
                        step.Fail(e.InnerException is { } cause ? $"{e.GetType().Name} ({cause.GetType().Name}: {cause.Message})" : $"{e.GetType().Name}: {e.Message}");
                    }
                }));
            }

            if (inFlight.Count > 10_000)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight);
        step.End = Stopwatch.GetTimestamp();
    }

    /// <summary>Waits (at most <paramref name="limit"/>) for the webhooks of everything acknowledged.</summary>
    internal static async Task DrainAsync(Step step, TimeSpan limit)
    {
        var drain = Stopwatch.StartNew();
        while (step.Acked.Keys.Any(k => !step.Arrived.ContainsKey(k)) && drain.Elapsed < limit)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>What a step did: events acknowledged and webhooks received per second over its window,
    /// and the lag of each acknowledged event's webhook (ms; <c>Missing</c>: never arrived;
    /// <c>OverOneSecond</c>: how many arrived later than a second after their acknowledgement).</summary>
    internal sealed record Summary(double InRate, double OutRate, double P50, double P99, double Max, int Missing, int Failed, int OverOneSecond)
    {
        public bool Bounded => Missing == 0 && P99 <= 1000 && OutRate >= 0.95 * InRate;

        public override string ToString() =>
            $"in {InRate,6:0}/s  out {OutRate,6:0}/s ({OutRate / InRate:0.00}×)  lag p50 {P50,6:0} ms  p99 {P99,6:0} ms  max {Max,6:0} ms ({OverOneSecond} over 1 s)  failed {Failed}, undelivered {Missing}";
    }

    internal static Summary Summarise(Step step)
    {
        var tick = 1000.0 / Stopwatch.Frequency;
        var window = (step.End - step.Start) * tick / 1000;
        var inWindow = step.Arrived.Values.Count(t => t <= step.End);
        var lags = step.Acked.Select(a => step.Arrived.TryGetValue(a.Key, out var at) ? Math.Max(0, (at - a.Value) * tick) : double.NaN).ToList();
        var sorted = lags.Where(l => !double.IsNaN(l)).Order().ToList();
        double P(double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p / 100 * sorted.Count))];
        return new Summary(step.Acked.Count / window, inWindow / window, P(50), P(99), sorted.Count == 0 ? double.NaN : sorted[^1], lags.Count(double.IsNaN), step.Failed,
            sorted.Count(l => l > 1000));
    }

    /// <summary>With <c>ORIAN_LOAD_TRACE</c> set: a step second by second (by when each event was
    /// acknowledged, with the wall clock's time of day to set beside the service's log): events
    /// acknowledged, their webhooks' lag at p50, p99 and max, and how many arrived over a second late.</summary>
    internal static void Trace(Step step)
    {
        var tick = 1000.0 / Stopwatch.Frequency;
        var wallAtStart = DateTime.UtcNow.AddMilliseconds(-(Stopwatch.GetTimestamp() - step.Start) * tick);
        foreach (var second in step.Acked.GroupBy(a => (long)((a.Value - step.Start) * tick / 1000)).OrderBy(g => g.Key))
        {
            var lags = second.Select(a => step.Arrived.TryGetValue(a.Key, out var at) ? Math.Max(0, (at - a.Value) * tick) : double.PositiveInfinity).Order().ToList();
            double P(double p) => lags[Math.Min(lags.Count - 1, (int)(p / 100 * lags.Count))];
            Console.WriteLine($"  {wallAtStart.AddSeconds(second.Key):HH:mm:ss} +{second.Key,3} s: acked {lags.Count,5}  lag p50 {P(50),6:0}  p99 {P(99),6:0}  max {lags[^1],6:0} ms  over 1 s {lags.Count(l => l > 1000),5}");
        }
    }

    private static bool Report(Step step, int seconds, double fraction, bool slow, bool warmUp)
    {
        var summary = Summarise(step);
        Console.WriteLine($"{(warmUp ? "warm-up " : "")}offered {step.Rate,6}/s ({fraction:0.00} of max){(slow ? ", a 2 s endpoint beside" : "")}: {summary}  {(summary.Bounded ? "bounded" : "NOT bounded")}");
        return step.Failed == 0 && summary.Missing == 0;
    }

    private static Task<HttpResponseMessage> Put(HttpClient pps, string id, int n) =>
        pps.PutAsync($"/v2/transactions/{id}", new StringContent(
            $"{{\"id\":\"{id}\",\"version\":1,\"scheme_id\":\"MC\",\"txn_lifecycle_status\":\"COMPLETE\",\"txn_result\":{{\"result\":\"APPROVED\"}}," +
            $"\"payee\":{{\"account\":{{\"account_no\":\"F-{n % 500}\"}}}},\"txn_type\":{{\"direction\":\"CREDIT\",\"financial\":true}}," +
            $"\"authorisation\":{{\"txn_amounts\":{{\"cardholder_final_amount\":{{\"amount\":{100 + n % 900},\"currency\":{{\"code\":\"GBP\",\"exponent\":2}}}}}}}}}}",
            Encoding.UTF8, "application/json"));

    /// <summary>A webhook receiver in a child process (this program's <c>receive</c> mode), and the
    /// arrivals it reports: one line "transaction-id monotonic-timestamp" per webhook.</summary>
    internal sealed class Receiver : IDisposable
    {
        private readonly Process _process;

        private Receiver(Process process, string url) => (_process, Url) = (process, url);

        public string Url { get; }

        public static Receiver Start(int delayMs, Action<string, long> arrived)
        {
            var process = Process.Start(new ProcessStartInfo("dotnet", [typeof(Flow).Assembly.Location, "receive", delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            })!;
            var url = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the receiver did not start");
            _ = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    var space = line.IndexOf(' ');
                    arrived(line[..space], long.Parse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture));
                }
            });
            return new Receiver(process, url);
        }

        public void Dispose()
        {
            _process.StandardInput.Close(); // the receiver exits when its input ends
            _process.WaitForExit(5000);
            _process.Dispose();
        }
    }

    /// <summary>The <c>receive</c> mode: Kestrel on 127.0.0.1, answering 200 (after
    /// <paramref name="delayMs"/>), printing its URL, then each arrival; exits when stdin closes.</summary>
    public static async Task<int> ReceiveAsync(int delayMs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var arrivals = System.Threading.Channels.Channel.CreateUnbounded<string>();
        app.MapPost("/hook", async context =>
        {
            var at = Stopwatch.GetTimestamp();
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            const string key = "\"transaction_id\":\"";
            var start = body.IndexOf(key, StringComparison.Ordinal) + key.Length;
            arrivals.Writer.TryWrite($"{body[start..body.IndexOf('"', start)]} {at}");
            if (delayMs > 0)
            {
                await Task.Delay(delayMs);
            }

            context.Response.StatusCode = 200;
        });
        await app.StartAsync();
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        await output.WriteLineAsync(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook");
        await output.FlushAsync();
        var writer = Task.Run(async () =>
        {
            while (await arrivals.Reader.WaitToReadAsync())
            {
                while (arrivals.Reader.TryRead(out var line))
                {
                    await output.WriteLineAsync(line);
                }

                await output.FlushAsync();
            }
        });
        await Console.In.ReadToEndAsync(); // until the generator closes our input
        await app.StopAsync();
        arrivals.Writer.Complete();
        await writer;
        return 0;
    }
}
