using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

/// <summary>
/// PPS-style load through a failover, run by <c>benchmarks/load/patroni-failover.sh</c>: every event is
/// sent until it is answered 200, as PPS does (a 503 or 429 waits its <c>Retry-After</c>, a refused
/// connection or a timeout 100 ms), by <c>concurrency</c> senders for <c>seconds</c>. Each sender works
/// through its own accounts' transactions one event at a time: a completed credit, then a debit that is
/// authorised (a hold) and then completed (the hold released, the amount posted). The oracle is what
/// was acknowledged; after the load every acknowledged event is read back and every account's balances
/// compared with the oracle's.
/// <para>The script appends <c>name unix-ms</c> lines to <c>marks</c> as it kills things; for each mark
/// this prints the recovery time: from the mark to the first acknowledgement of a request first sent
/// after it (a request sent after a database node died can only be committed by the next primary), and
/// the acknowledgements per second in the ten seconds before the mark and in the ten after recovery.</para>
/// <code>-- pps &lt;base-url&gt; &lt;user:password&gt; &lt;operator-key&gt; &lt;seconds&gt; &lt;concurrency&gt; &lt;marks-file&gt;</code>
/// </summary>
internal static class Failover
{
    private const int AccountsPerSender = 4;

    private sealed record Ack(string Id, long Version, long FirstSentMs, long AckedMs);

    public static async Task<int> RunAsync(Uri service, string credentials, string operatorKey, int seconds, int concurrency, string marksFile)
    {
        if (!service.IsLoopback)
        {
            Console.Error.WriteLine("Load only 127.0.0.1.");
            return 2;
        }

        using var pps = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = service,
            Timeout = TimeSpan.FromSeconds(10),
        };
        pps.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        var run = $"f{Environment.ProcessId}";
        var acks = new ConcurrentQueue<Ack>();
        var oracle = new ConcurrentDictionary<string, (long Posted, long Held)>();
        var answers = new ConcurrentDictionary<string, int>();
        var rejected = new ConcurrentQueue<string>();
        var stop = Stopwatch.StartNew();

        async Task SendUntilAcknowledged(string id, long version, string json)
        {
            var first = Now();
            while (true)
            {
                TimeSpan wait;
                try
                {
                    using var response = await pps.PutAsync($"/v2/transactions/{id}", new StringContent(json, Encoding.UTF8, "application/json"));
                    answers.AddOrUpdate(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acks.Enqueue(new Ack(id, version, first, Now()));
                        return;
                    }

                    if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests) && (int)response.StatusCode < 500)
                    {
                        rejected.Enqueue($"{id} v{version}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        return; // a refusal a retry cannot cure: the oracle would be wrong, and the run fails
                    }

                    wait = response.Headers.RetryAfter?.Delta is { } after && after < TimeSpan.FromSeconds(1) ? after : TimeSpan.FromMilliseconds(200);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    answers.AddOrUpdate(e is TaskCanceledException ? "timeout" : "no connection", 1, (_, n) => n + 1);
                    wait = TimeSpan.FromMilliseconds(100);
                }

                await Task.Delay(wait);
            }
        }

        async Task Sender(int sender)
        {
            for (var n = 0L; stop.Elapsed < TimeSpan.FromSeconds(seconds); n++)
            {
                var account = $"{run}-A{sender}-{n % AccountsPerSender}";
                var amount = 100 + (n * 37 + sender) % 900;
                if (n % 2 == 0)
                {
                    await SendUntilAcknowledged($"{run}-{sender}-{n}", 1, OrianEvent.Json($"{run}-{sender}-{n}", 1, "COMPLETE", "CREDIT", account, amount, "APPROVED"));
                    oracle.AddOrUpdate(account, (amount, 0), (_, b) => (b.Posted + amount, b.Held));
                }
                else
                {
                    var id = $"{run}-{sender}-{n}";
                    await SendUntilAcknowledged(id, 1, OrianEvent.Json(id, 1, "AUTHORISED", "DEBIT", account, amount, "APPROVED"));
                    oracle.AddOrUpdate(account, (0, amount), (_, b) => (b.Posted, b.Held + amount));
                    await SendUntilAcknowledged(id, 2, OrianEvent.Json(id, 2, "COMPLETE", "DEBIT", account, amount, "APPROVED"));
                    oracle.AddOrUpdate(account, (-amount, 0), (_, b) => (b.Posted - amount, b.Held - amount));
                }
            }
        }

        var started = Now();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(s => Task.Run(() => Sender(s))));
        var ended = Now();

        // Read back through the same front door, with the operator key.
        using var admin = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        var all = acks.ToList();
        var latest = all.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.Max(a => a.Version));
        var lost = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(latest, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, ct) =>
        {
            var stored = await ReadAsync(admin, $"/v1/transactions/{entry.Key}", ct);
            if (stored is null || stored.Value.GetProperty("version").GetInt64() < entry.Value)
            {
                lost.Enqueue($"{entry.Key} v{entry.Value}");
            }
        });
        var wrong = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(oracle, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, ct) =>
        {
            var account = await ReadAsync(admin, $"/v1/accounts/{entry.Key}", ct);
            var (posted, held) = account is { } a ? (a.GetProperty("posted").GetInt64(), a.GetProperty("held").GetInt64()) : (long.MinValue, long.MinValue);
            if ((posted, held) != entry.Value)
            {
                wrong.Enqueue($"{entry.Key}: posted {posted} held {held}, expected {entry.Value.Posted} / {entry.Value.Held}");
            }
        });

        Console.WriteLine($"events acknowledged: {all.Count} in {(ended - started) / 1000.0:0.0} s ({all.Count * 1000.0 / Math.Max(1, ended - started):0}/s), "
            + $"{latest.Count} transactions on {oracle.Count} accounts");
        Console.WriteLine($"answers: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}"))}");
        Console.WriteLine($"events lost: {lost.Count}");
        Console.WriteLine($"balances against the oracle: {oracle.Count - wrong.Count} right, {wrong.Count} wrong");
        Console.WriteLine($"refused (4xx other than 429): {rejected.Count}");
        foreach (var line in lost.Take(5).Concat(wrong.Take(5)).Concat(rejected.Take(5)))
        {
            Console.WriteLine($"  {line}");
        }

        var sorted = all.OrderBy(a => a.AckedMs).ToList();
        foreach (var (name, at) in Marks(marksFile))
        {
            var first = sorted.Where(a => a.FirstSentMs > at).Select(a => a.AckedMs).DefaultIfEmpty(-1).Min();
            var before = sorted.Count(a => a.AckedMs > at - 10_000 && a.AckedMs <= at) / 10.0;
            var after = first < 0 ? 0 : sorted.Count(a => a.AckedMs > first && a.AckedMs <= first + 10_000) / 10.0;
            Console.WriteLine(first < 0
                ? $"{name}: no acknowledgement of a request sent after it"
                : $"{name}: first acknowledgement of a request sent after it {(first - at) / 1000.0:0.00} s later; acknowledged {before:0}/s in the 10 s before, {after:0}/s in the 10 s after");
        }

        return lost.IsEmpty && wrong.IsEmpty && rejected.IsEmpty ? 0 : 1;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static IEnumerable<(string Name, long At)> Marks(string file) =>
        File.Exists(file)
            ? File.ReadAllLines(file).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).Select(p => (p[0], long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            : [];

    /// <summary>An operator read, re-tried while the service answers 503 or cannot be reached (the read may
    /// come while the cluster settles); null for a 404.</summary>
    private static async Task<JsonElement?> ReadAsync(HttpClient admin, string path, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await admin.GetAsync(path, ct);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                if (response.IsSuccessStatusCode)
                {
                    using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                    return document.RootElement.Clone();
                }
            }
            catch (HttpRequestException) when (attempt < 50)
            {
            }

            if (attempt >= 50)
            {
                throw new InvalidOperationException($"{path}: no answer after 50 tries");
            }

            await Task.Delay(200, ct);
        }
    }
}
