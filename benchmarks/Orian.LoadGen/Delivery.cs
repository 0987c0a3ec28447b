using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

/// <summary>
/// What delivering webhooks costs the ledger, run by <c>benchmarks/load/delivery.sh</c> against two
/// starts of the service, the dispatcher off and then on, with the same offered load: events open loop
/// at a fixed rate, 30 % of them delegated authorisation requests (decided, with a hold) and the rest
/// completed credits, over 500 funded accounts.
/// <list type="bullet">
/// <item><c>delivery-off</c>: the offered rate unrecorded until the service's JIT settles (<see cref="WarmAsync"/>),
/// then measured; prints <c>acknowledged: N events/s</c>.</item>
/// <item><c>delivery-on</c>: one endpoint (a receiver in a child process answering at once; with
/// <c>--slow</c> a second answering after 2 s beside it), the same warm-up, then the same offered rate
/// (in, out, lag, and in ÷ the dispatcher-off figure), then half the dispatcher-off figure (in, out, lag).</item>
/// </list>
/// </summary>
internal static class Delivery
{
    private const int Accounts = 500;

    /// <summary>Each phase runs unrecorded first until the service's JIT has settled: at least 20 s
    /// (or a third of the measured time), then in 5-s steps until the runtime's tiering thread used under
    /// 3 % of a core over the last step, at most 180 s. The runtime recompiles hot code twice
    /// (instrumented, then optimised with what it saw) for a while after start; sampled with perf, that
    /// compiling was 15 % of the machine's CPU 27-39 s after a start under full load with the dispatcher
    /// on, which has more code to compile than the ledger alone (off): a fixed warm-up charged it to the
    /// dispatcher. The thread is read from /proc when <c>ORIAN_SERVICE_PID</c> names the service's process
    /// (the load scripts set it); without it, the fixed minimum alone.</summary>
    private static async Task WarmAsync(HttpClient pps, Flow.Step warm, string run, int seconds)
    {
        var pid = int.TryParse(Environment.GetEnvironmentVariable("ORIAN_SERVICE_PID"), out var p) ? p : (int?)null;
        var minimum = Math.Max(20, seconds / 3);
        var clock = Stopwatch.StartNew();
        await Flow.OfferAsync(pps, warm, minimum - 5, n => Send(pps, $"{run}-w0-{n}", n));
        var start = warm.Start; // each offer below restarts the step's window; the warm-up's is all of them
        var chunk = 0;
        double? share;
        do
        {
            var before = pid is { } id ? JitTicks(id) : null;
            var at = clock.Elapsed;
            chunk++;
            await Flow.OfferAsync(pps, warm, 5, n => Send(pps, $"{run}-w{chunk}-{n}", n));
            var after = pid is { } id2 ? JitTicks(id2) : null;
            // Thread by thread: the runtime ends an idle tiering thread and starts a new one when there
            // is work again, and a thread new since the first read counts whole.
            share = before is { } b && after is { } a
                ? a.Sum(t => t.Value - b.GetValueOrDefault(t.Key)) / 100.0 / (clock.Elapsed - at).TotalSeconds
                : null;
        }
        while (share > 0.03 && clock.Elapsed.TotalSeconds < 180);

        warm.Start = start;

        Console.WriteLine(share switch
        {
            null => $"warm-up: {clock.Elapsed.TotalSeconds:0} s, fixed (the service's JIT could not be read: ORIAN_SERVICE_PID unset or no /proc)",
            > 0.03 => $"warm-up: {clock.Elapsed.TotalSeconds:0} s, the limit, with the service's JIT still at {share:0.0%} of a core over the last 5 s",
            _ => $"warm-up: {clock.Elapsed.TotalSeconds:0} s, until the service's JIT used {share:0.0%} of a core over 5 s",
        });
    }

    /// <summary>CPU time the runtime's tiered-compilation threads of process <paramref name="pid"/> alive now
    /// have used, by thread id (utime + stime from /proc, in the kernel's 100 Hz ticks), or null where
    /// /proc cannot say.</summary>
    private static Dictionary<string, long>? JitTicks(int pid)
    {
        try
        {
            var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                    {
                        var stat = File.ReadAllText(Path.Combine(task, "stat"));
                        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                        ticks[Path.GetFileName(task)] = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
                                                        long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
                catch (IOException)
                {
                    // the thread ended while it was read
                }
            }

            return ticks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process is gone, or /proc is not there
        }
    }

    public static async Task<int> OffAsync(Uri service, string credentials, int seconds, int rate)
    {
        using var pps = Client(service, credentials);
        var run = $"d{Environment.ProcessId}";
        await FundAsync(pps, run);
        await WarmAsync(pps, new Flow.Step(rate), run, seconds);
        var step = new Flow.Step(rate);
        await Flow.OfferAsync(pps, step, seconds, n => Send(pps, $"{run}-m-{n}", n));
        var window = (step.End - step.Start) / (double)Stopwatch.Frequency;
        Console.WriteLine($"dispatcher off, offered {rate}/s for {seconds} s: acknowledged: {step.Acked.Count / window:0} events/s, failed {step.Failed}");
        if (step.Failed > 0)
        {
            Console.WriteLine($"  failed: {step.FailureCauses()}");
        }
        return 0;
    }

    public static async Task<int> OnAsync(Uri service, string credentials, string operatorKey, int seconds, int rate, double offRate, bool slow)
    {
        using var pps = Client(service, credentials);
        var run = $"d{Environment.ProcessId}";
        Flow.Step? current = null;
        using var fast = Flow.Receiver.Start(0, (id, at) => Volatile.Read(ref current)?.Arrived.TryAdd(id, at));
        using var slowReceiver = slow ? Flow.Receiver.Start(2000, (_, _) => { }) : null;
        using var admin = new HttpClient { BaseAddress = service };
        admin.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        foreach (var receiver in new[] { fast, slowReceiver }.OfType<Flow.Receiver>())
        {
            (await admin.PostAsync("/v1/webhook-endpoints", new StringContent(
                $"{{\"url\":\"{receiver.Url}\",\"events\":[\"transaction.updated\"]}}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        await FundAsync(pps, run);
        var warm = new Flow.Step(rate);
        Volatile.Write(ref current, warm);
        await WarmAsync(pps, warm, run, seconds);
        await Flow.DrainAsync(warm, TimeSpan.FromMinutes(2));
        Console.WriteLine($"warm-up, offered {rate}/s: {Flow.Summarise(warm)}");

        var ok = true;
        foreach (var (label, stepRate) in new[] { ("the same offered load", rate), ("half the dispatcher-off figure", (int)(offRate / 2)) })
        {
            var step = new Flow.Step(stepRate);
            Volatile.Write(ref current, step);
            await Flow.OfferAsync(pps, step, seconds, n => Send(pps, $"{run}-{stepRate}-{n}", n));
            await Flow.DrainAsync(step, TimeSpan.FromMinutes(2));
            var summary = Flow.Summarise(step);
            Console.WriteLine($"dispatcher on, {label} ({stepRate}/s){(slow ? ", a 2 s endpoint beside" : "")}: {summary}");
            if (step.Failed > 0)
            {
                Console.WriteLine($"  failed: {step.FailureCauses()}");
            }

            if (Environment.GetEnvironmentVariable("ORIAN_LOAD_TRACE") is { Length: > 0 })
            {
                Flow.Trace(step);
            }

            if (stepRate == rate)
            {
                Console.WriteLine($"on ÷ off, acknowledged: {summary.InRate / offRate:0.00}");
            }

            ok &= summary.Missing == 0;
        }

        return ok ? 0 : 1;
    }

    private static HttpClient Client(Uri service, string credentials)
    {
        if (!service.IsLoopback)
        {
            throw new InvalidOperationException("Load only 127.0.0.1.");
        }

        // Below the service's cap on connections from one address (Orian:RateLimits:MaxConnectionsPerSource,
        // 512), with room for the operator client beside: at the cap the service closes each new
        // connection as it opens, so a pool of 512 measured resets and reconnections, not the service
        // (a request beyond the pool waits here for a connection: the load stays open, sent when due).
        var pps = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 480 }) { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        pps.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return pps;
    }

    /// <summary>Credits every account generously, so that the delegated requests are approved and hold.</summary>
    private static async Task FundAsync(HttpClient pps, string run) =>
        await Task.WhenAll(Enumerable.Range(0, Accounts).Select(async a =>
        {
            using var response = await Put(pps, $"{run}-fund-{a}", "COMPLETE", "CREDIT", a, 100_000_000, "APPROVED");
            response.EnsureSuccessStatusCode();
        }));

    /// <summary>Request <paramref name="n"/> of a run: three in ten a delegated authorisation request,
    /// the rest completed credits.</summary>
    private static (string, Task<HttpResponseMessage>) Send(HttpClient pps, string id, long n) =>
        (id, n % 10 < 3
            ? Put(pps, id, "AUTHORISATION_REQUESTED", "DEBIT", (int)(n % Accounts), 100 + n % 500, null)
            : Put(pps, id, "COMPLETE", "CREDIT", (int)(n % Accounts), 100 + n % 900, "APPROVED"));

    private static Task<HttpResponseMessage> Put(HttpClient pps, string id, string status, string direction, int account, long amount, string? result) =>
        pps.PutAsync($"/v2/transactions/{id}", new StringContent(OrianEvent.Json(id, 1, status, direction, $"D-{account}", amount, result), Encoding.UTF8, "application/json"));
}
