using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

/// <summary>Webhook dispatch throughput: events in through the API, signed webhooks out to a receiver
/// in this process (HttpListener on 127.0.0.1), counted until every event has arrived.</summary>
internal static class Dispatch
{
    public static async Task<int> RunAsync(Uri service, int events, string credentials, string operatorKey)
    {
        if (!service.IsLoopback)
        {
            Console.Error.WriteLine("Load only 127.0.0.1.");
            return 2;
        }

        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = 0;
        var ids = new HashSet<string>();
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        double lastArrivalMs = 0;
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }

                var id = context.Request.Headers["webhook-id"] ?? "";
                context.Response.StatusCode = 200;
                context.Response.Close();
                lock (ids)
                {
                    if (ids.Add(id) && ++received == events)
                    {
                        lastArrivalMs = clock.Elapsed.TotalMilliseconds;
                        allArrived.TrySetResult();
                    }
                }
            }
        });

        using var client = new HttpClient { BaseAddress = service };
        client.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        var registration = await client.PostAsync("/v1/webhook-endpoints", new StringContent(
            $"{{\"url\":\"http://127.0.0.1:{port}/hook\",\"events\":[\"transaction.updated\"]}}", Encoding.UTF8, "application/json"));
        registration.EnsureSuccessStatusCode();

        using var pps = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = service };
        pps.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        var run = $"d{Environment.ProcessId}";
        clock.Start();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < events)
            {
                var id = $"{run}-{n}";
                var body = $"{{\"id\":\"{id}\",\"version\":1,\"scheme_id\":\"MC\",\"txn_lifecycle_status\":\"COMPLETE\",\"txn_result\":{{\"result\":\"APPROVED\"}}," +
                    $"\"payee\":{{\"account\":{{\"account_no\":\"D-{n % 500}\"}}}},\"txn_type\":{{\"direction\":\"CREDIT\",\"financial\":true}}," +
                    $"\"authorisation\":{{\"txn_amounts\":{{\"cardholder_final_amount\":{{\"amount\":{100 + n % 900},\"currency\":{{\"code\":\"GBP\",\"exponent\":2}}}}}}}}}}";
                using var response = await pps.PutAsync($"/v2/transactions/{id}", new StringContent(body, Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
            }
        }));
        var acknowledgedMs = clock.Elapsed.TotalMilliseconds;
        var finished = await Task.WhenAny(allArrived.Task, Task.Delay(TimeSpan.FromMinutes(5)));
        listener.Stop();
        if (finished != allArrived.Task)
        {
            Console.WriteLine($"only {received} of {events} webhooks arrived within 5 minutes");
            return 1;
        }

        Console.WriteLine($"events: {events}, all acknowledged after {acknowledgedMs / 1000:0.00} s ({events / (acknowledgedMs / 1000):0} events/s in)");
        Console.WriteLine($"webhooks: {events} distinct webhook-ids delivered after {lastArrivalMs / 1000:0.00} s ({events / (lastArrivalMs / 1000):0} messages/s out), " +
            $"the last {Math.Max(0, lastArrivalMs - acknowledgedMs):0} ms after the last acknowledgement");
        return 0;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
