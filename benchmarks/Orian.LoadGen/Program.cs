using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

// Two measurements against a running service on 127.0.0.1:
//
// 1. Open-loop load at fixed rates: authorisation requests and notifications are sent on schedule
//    whatever the answers do, and each latency is measured from the moment the request was due, so
//    a slow server cannot hide its queueing (no coordinated omission).
//      dotnet run -c Release --project benchmarks/Orian.LoadGen -- <base-url> <auth/s> <notifications/s> <seconds> <user:password> [--hot]
//    The load runs unrecorded for a third of the time first (the JIT's warm-up), then 200 single
//    decisions one after another give the run's idle p50, the yardstick the loaded p99 is compared
//    with, then the load is measured. --hot sends every request to one account.
//
// 2. Webhook dispatch: registers an endpoint pointing at a receiver in this process, sends N events,
//    and measures how fast their signed webhooks arrive.
//      dotnet run -c Release --project benchmarks/Orian.LoadGen -- dispatch <base-url> <events> <user:password> <operator-key>
//
// 3. Flow: the ingest-only maximum of the run, then events offered open loop at fractions of it with
//    an endpoint subscribed: events/s in, webhooks/s out, and each event's delivery lag.
//      dotnet run -c Release --project benchmarks/Orian.LoadGen -- flow <base-url> <user:password> <operator-key> <seconds> [0.25,0.5,0.75] [--slow]

// 4. Delivery's cost to the ledger (benchmarks/load/delivery.sh runs both against two starts of the service):
//      ... -- delivery-off <base-url> <user:password> <seconds> <rate>
//      ... -- delivery-on <base-url> <user:password> <operator-key> <seconds> <rate> <dispatcher-off events/s> [--slow]

// 5. PPS through a failover (benchmarks/load/patroni-failover.sh): every event re-sent until answered 200,
//    then every acknowledged event read back and every balance checked against an oracle.
//      ... -- pps <base-url> <user:password> <operator-key> <seconds> <concurrency> <marks-file>

if (args.Length > 0 && args[0] == "pps")
{
    return await Failover.RunAsync(new Uri(args[1]), args[2], args[3], int.Parse(args[4]), int.Parse(args[5]), args[6]);
}

if (args.Length > 0 && args[0] == "receive")
{
    return await Flow.ReceiveAsync(int.Parse(args[1]));
}

if (args.Length > 0 && args[0] == "flow")
{
    var options = args.Skip(1).ToList();
    var slow = options.Remove("--slow");
    return await Flow.RunAsync(new Uri(options[0]), options[1], options[2], int.Parse(options[3]),
        options.Count > 4 ? options[4].Split(',').Select(f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : [0.25, 0.5, 0.75], slow);
}

if (args.Length > 0 && args[0] == "delivery-off")
{
    return await Delivery.OffAsync(new Uri(args[1]), args[2], int.Parse(args[3]), int.Parse(args[4]));
}

if (args.Length > 0 && args[0] == "delivery-on")
{
    var options = args.Skip(1).ToList();
    var slow = options.Remove("--slow");
    return await Delivery.OnAsync(new Uri(options[0]), options[1], options[2], int.Parse(options[3]), int.Parse(options[4]),
        double.Parse(options[5], System.Globalization.CultureInfo.InvariantCulture), slow);
}

if (args.Length > 0 && args[0] == "dispatch")
{
    return await Dispatch.RunAsync(new Uri(args[1]), int.Parse(args[2]), args[3], args[4]);
}

var hot = args.Contains("--hot");
args = [.. args.Where(a => a != "--hot")];
var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5190");
var authRate = args.Length > 1 ? int.Parse(args[1]) : 1000;
var notificationRate = args.Length > 2 ? int.Parse(args[2]) : 2000;
var seconds = args.Length > 3 ? int.Parse(args[3]) : 20;
var credentials = args.Length > 4 ? args[4] : "pps:load-test-password";
if (!baseUrl.IsLoopback)
{
    Console.Error.WriteLine("Load only 127.0.0.1.");
    return 2;
}

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = baseUrl,
    Timeout = TimeSpan.FromSeconds(30),
};
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

var run = $"g{Environment.ProcessId}";
const int Accounts = 1000;

// Fund every account generously so that decisions exercise the approve-and-hold path.
await Task.WhenAll(Enumerable.Range(0, Accounts).Select(a => Send(Event($"{run}-fund-{a}", 1, "COMPLETE", "CREDIT", a, 100_000_000, "APPROVED"))));
int AccountOf(long n) => hot ? 0 : (int)(n % Accounts);

// The same load for a third of the run first, unrecorded: the service's JIT has then compiled the
// paths the load takes, and what is measured is the service, not its warm-up.
await LoadAsync("w", TimeSpan.FromSeconds(Math.Max(5, seconds / 3)), new Recorder("warm-up"), new Recorder("warm-up"));

// The yardstick: single decisions with nothing else running, one after another.
var idle = new Recorder("idle decision");
for (var i = 0; i < 200; i++)
{
    var started = Stopwatch.GetTimestamp();
    using var response = await Send(Event($"{run}-idle-{i}", 1, "AUTHORISATION_REQUESTED", "DEBIT", AccountOf(i), 100, null));
    idle.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(),
        response.Headers.TryGetValues("Server-Timing", out var timing) ? string.Join(", ", timing) : null);
}

var auth = new Recorder("authorisation");
var notify = new Recorder("notification");
await LoadAsync("m", TimeSpan.FromSeconds(seconds), auth, notify);

Console.WriteLine($"offered: {authRate} authorisations/s + {notificationRate} notifications/s for {seconds} s (open loop){(hot ? ", all on one account" : "")}");
idle.Print();
idle.PrintPhases();
auth.Print();
auth.PrintPhases();
notify.Print();
Console.WriteLine($"decision p99 / idle p50 = {auth.Percentile(99) / idle.Percentile(50):0.00}x; stand-ins {auth.Count("stand-in")}");
return auth.Failures + notify.Failures == 0 ? 0 : 1;

async Task LoadAsync(string phase, TimeSpan duration, Recorder auth, Recorder notify)
{
    var clock = Stopwatch.StartNew();
    var inFlight = new List<Task>();
    long authSent = 0, notificationSent = 0;
    while (clock.Elapsed < duration)
    {
        var now = clock.Elapsed;
        while (authSent < now.TotalSeconds * authRate)
        {
            var due = TimeSpan.FromSeconds(authSent / (double)authRate);
            var n = authSent++;
            inFlight.Add(Measure(clock, auth, due, Event($"{run}-{phase}a-{n}", 1, "AUTHORISATION_REQUESTED", "DEBIT", AccountOf(n), 100 + n % 500, null)));
        }

        while (notificationSent < now.TotalSeconds * notificationRate)
        {
            var due = TimeSpan.FromSeconds(notificationSent / (double)notificationRate);
            var n = notificationSent++;
            var body = n % 2 == 0
                ? Event($"{run}-{phase}n-{n}", 1, "AUTHORISED", "DEBIT", AccountOf(n), 100 + n % 900, "APPROVED")
                : Event($"{run}-{phase}n-{n - 1}", 2, "COMPLETE", "DEBIT", AccountOf(n - 1), 100 + (n - 1) % 900, "APPROVED");
            inFlight.Add(Measure(clock, notify, due, body));
        }

        if (inFlight.Count > 20_000)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.Delay(1);
    }

    await Task.WhenAll(inFlight);
}

async Task Measure(Stopwatch clock, Recorder recorder, TimeSpan due, (string Id, string Json) body)
{
    try
    {
        using var response = await Send(body);
        var text = await response.Content.ReadAsStringAsync();
        recorder.Add((clock.Elapsed - due).TotalMilliseconds, response.IsSuccessStatusCode, text,
            response.Headers.TryGetValues("Server-Timing", out var timing) ? string.Join(", ", timing) : null);
    }
    catch (HttpRequestException)
    {
        recorder.Add((clock.Elapsed - due).TotalMilliseconds, false, "");
    }
}

Task<HttpResponseMessage> Send((string Id, string Json) body) =>
    client.PutAsync($"/v2/transactions/{body.Id}", new StringContent(body.Json, Encoding.UTF8, "application/json"));

static (string Id, string Json) Event(string id, long version, string status, string direction, int account, long amount, string? result) =>
    (id, OrianEvent.Json(id, version, status, direction, $"G-{account}", amount, result));

internal sealed class Recorder(string name)
{
    private readonly List<double> _latencies = [];
    private readonly Dictionary<string, int> _results = [];

    public int Failures { get; private set; }

    private readonly Dictionary<string, List<double>> _phases = [];

    public void Add(double ms, bool ok, string body, string? serverTiming = null)
    {
        lock (_latencies)
        {
            _latencies.Add(ms);
            if (serverTiming is not null)
            {
                // "lane;dur=0.4, begin;dur=0.1, ...": each phase's time on the server; the rest of the
                // latency (sending, receiving, a late send) is the client's and the network's.
                var server = 0.0;
                foreach (var part in serverTiming.Split(',', StringSplitOptions.TrimEntries))
                {
                    var fields = part.Split(";dur=");
                    if (fields.Length == 2 && double.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out var phase) && !double.IsNaN(phase))
                    {
                        Phase(fields[0]).Add(phase);
                        server += phase;
                    }
                }

                Phase("outside").Add(Math.Max(0, ms - server));
            }

            if (!ok)
            {
                Failures++;
            }

            var key = !ok ? "failed" : body.Contains("\"SYSTEM_ERROR\"", StringComparison.Ordinal) ? "stand-in" : body.Contains("\"APPROVED\"", StringComparison.Ordinal) && body.Contains("txn_result", StringComparison.Ordinal) && name == "authorisation" ? "approved" : "ok";
            _results[key] = _results.GetValueOrDefault(key) + 1;
        }
    }

    public int Count(string result) => _results.GetValueOrDefault(result);

    public double Percentile(double p)
    {
        _latencies.Sort();
        return _latencies.Count == 0 ? 0 : _latencies[Math.Min(_latencies.Count - 1, (int)(p / 100 * _latencies.Count))];
    }

    private List<double> Phase(string name) => _phases.TryGetValue(name, out var list) ? list : _phases[name] = [];

    /// <summary>Where the recorded requests' time went, from their Server-Timing headers.</summary>
    public void PrintPhases()
    {
        if (_phases.Count == 0)
        {
            return;
        }

        Console.WriteLine($"  where a committed decision's time went (Server-Timing; p50 / p99 ms of each phase, n={_phases.Values.Max(l => l.Count)}):");
        foreach (var (phase, values) in _phases)
        {
            values.Sort();
            double P(double p) => values[Math.Min(values.Count - 1, (int)(p / 100 * values.Count))];
            Console.WriteLine($"    {phase,-8} p50 {P(50),7:0.00}  p99 {P(99),7:0.00}  mean {values.Average(),7:0.00}");
        }
    }

    public void Print()
    {
        double P(double p) => Percentile(p);
        var counts = string.Join(", ", _results.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"));
        Console.WriteLine($"{name,-14} n={_latencies.Count,7}  p50 {P(50),7:0.00} ms  p99 {P(99),7:0.00} ms  p99.9 {P(99.9),7:0.00} ms  max {(_latencies.Count == 0 ? 0 : _latencies[^1]),7:0.00} ms  ({counts})");
    }
}
