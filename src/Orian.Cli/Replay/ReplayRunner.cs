using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Orian.Api;

namespace Orian.Cli.Replay;

/// <summary>How to replay.</summary>
/// <param name="Concurrency">Requests in flight at once.</param>
/// <param name="Rate">Events per second at most; 0 for as fast as the service answers.</param>
/// <param name="MaxAttempts">Tries per event when the service answers 503/429 or cannot be reached.</param>
public sealed record ReplayOptions(int Concurrency = 8, double Rate = 0, int MaxAttempts = 5);

/// <summary>What happened to one event. <see cref="Outcome"/> is the service's (applied, duplicate,
/// stale, conflict), or <c>rejected</c> (a 4xx: the event is wrong) or <c>failed</c> (no answer, or
/// still 503 after every try).</summary>
public sealed record EventResult(ReplayEvent Event, string Outcome, int? StatusCode, string? Reason, string? Decision, string? DecisionDetail, double LatencyMs);

/// <summary>
/// Sends events as <c>PUT /v2/transactions/{id}</c>, as PPS would: up to
/// <see cref="ReplayOptions.Concurrency"/> at once (one account's events one after another, in
/// plan order), paced to <see cref="ReplayOptions.Rate"/>,
/// retrying 503/429 (after <c>Retry-After</c>) and unreachable moments. Replaying twice is harmless:
/// the service answers the second time with <c>duplicate</c>. Cancelling stops new sends; requests
/// already out are waited for, so their outcome is known.
/// </summary>
public sealed class ReplayRunner(HttpClient client, TimeProvider time)
{
    public static readonly string[] Outcomes = ["applied", "duplicate", "stale", "conflict", "rejected", "failed"];

    public async Task<ReplayReport> RunAsync(IReadOnlyList<ReplayEvent> plan, ReplayOptions options, Action<EventResult>? onResult, CancellationToken cancellationToken)
    {
        var results = new EventResult?[plan.Count];
        var started = time.GetTimestamp();
        // One lane per concurrent request; an account's events all go to one lane, in plan order,
        // so its authorisations see the balance the events before them left (as when PPS sent them).
        var lanes = new List<int>[Math.Max(1, options.Concurrency)];
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            lanes[lane] = [];
        }

        for (var i = 0; i < plan.Count; i++)
        {
            lanes[LaneOf(plan[i].Key, lanes.Length)].Add(i);
        }

        var workers = lanes.Select(async indices =>
        {
            foreach (var i in indices)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                if (options.Rate > 0)
                {
                    var wait = TimeSpan.FromSeconds(i / options.Rate) - time.GetElapsedTime(started);
                    if (wait > TimeSpan.Zero && !await DelayAsync(wait, cancellationToken))
                    {
                        return;
                    }
                }

                var result = await SendAsync(plan[i], options, cancellationToken);
                results[i] = result;
                onResult?.Invoke(result);
            }
        }).ToList();
        await Task.WhenAll(workers);
        return new ReplayReport(plan, results, time.GetElapsedTime(started), cancellationToken.IsCancellationRequested);
    }

    /// <summary>A stable lane for a key (FNV-1a, as the service partitions).</summary>
    private static int LaneOf(string key, int lanes)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)lanes);
    }

    private async Task<EventResult> SendAsync(ReplayEvent evt, ReplayOptions options, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(evt.Json);
        string? lastError = null;
        int? lastStatus = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            var started = time.GetTimestamp();
            TimeSpan? retryAfter = null;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                // Not the caller's token: a request already sent is waited for (HttpClient.Timeout bounds it).
                using var response = await client.PutAsync($"v2/transactions/{Uri.EscapeDataString(evt.Id)}", content, CancellationToken.None);
                var latency = time.GetElapsedTime(started).TotalMilliseconds;
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Answered(evt, text, latency);
                }

                if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                {
                    (lastStatus, lastError) = (status, ProblemDetail(text) ?? $"HTTP {status}");
                    retryAfter = response.Headers.RetryAfter?.Delta;
                }
                else if (status is >= 400 and < 500)
                {
                    return new EventResult(evt, "rejected", status, RejectionReason(status, text), null, null, latency);
                }
                else
                {
                    (lastStatus, lastError) = (status, ProblemDetail(text) ?? $"HTTP {status}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                (lastStatus, lastError) = (null, e is TaskCanceledException ? "no answer in time" : e.Message);
            }

            if (attempt < options.MaxAttempts)
            {
                var backoff = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
                var wait = retryAfter is { } r && r > backoff ? (r > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : r) : backoff;
                if (!await DelayAsync(wait, cancellationToken))
                {
                    return new EventResult(evt, "failed", lastStatus, $"{lastError}; interrupted before another try", null, null, 0);
                }
            }
        }

        return new EventResult(evt, "failed", lastStatus, $"{lastError} (after {options.MaxAttempts} tries)", null, null, 0);
    }

    /// <summary>A 200: the outcome, and for an authorisation request our decision. The two answers are the
    /// API's own types; which one comes is fixed by the event's status (the service answers every
    /// authorisation request with a decision). A stand-in given without a commit carries no outcome.</summary>
    private static EventResult Answered(ReplayEvent evt, string text, double latency)
    {
        try
        {
            if (evt.Status == "AUTHORISATION_REQUESTED")
            {
                var answer = JsonSerializer.Deserialize(text, OrianApiJsonContext.Default.OrianAuthorisationAnswerModel)!;
                return new EventResult(evt, answer.OrianOutcome ?? "applied", 200, null, answer.TxnResult.Result, answer.TxnResult.ResultDetail, latency);
            }

            var ingest = JsonSerializer.Deserialize(text, OrianApiJsonContext.Default.IngestResponse)!;
            return new EventResult(evt, ingest.Outcome, 200, null, null, null, latency);
        }
        catch (JsonException e)
        {
            // Stored (a 200), but answered in a shape this CLI does not read: counted as failed, with why.
            return new EventResult(evt, "failed", 200, $"an answer this CLI cannot read ({e.Message}): are the CLI and the service the same version?", null, null, latency);
        }
    }

    private static string RejectionReason(int status, string text) =>
        ProblemField(text) is { } field ? $"{status} {field}: {ProblemDetail(text)}" : $"{status}: {ProblemDetail(text) ?? "rejected"}";

    /// <summary>The <c>detail</c> of an RFC 7807 problem body, if the text is one.</summary>
    internal static string? ProblemDetail(string text) => ProblemString(text, "detail");

    private static string? ProblemField(string text) => ProblemString(text, "field");

    private static string? ProblemString(string text, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>A replay's results, in plan order; null where an event was not sent (interrupted).</summary>
public sealed class ReplayReport(IReadOnlyList<ReplayEvent> plan, IReadOnlyList<EventResult?> results, TimeSpan elapsed, bool interrupted)
{
    public IReadOnlyList<ReplayEvent> Plan { get; } = plan;
    public IReadOnlyList<EventResult?> Results { get; } = results;
    public TimeSpan Elapsed { get; } = elapsed;
    public bool Interrupted { get; } = interrupted;

    public IEnumerable<EventResult> Sent => Results.OfType<EventResult>();

    public int NotSent => Results.Count(r => r is null);

    public int Count(string outcome) => Sent.Count(r => r.Outcome == outcome);

    public IReadOnlyList<(string Reason, int Count)> Rejections => Sent.Where(r => r.Outcome is "rejected" or "failed")
        .GroupBy(r => $"{r.Outcome}: {r.Reason}").Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ToList();

    public IReadOnlyList<(string Decision, int Count)> Decisions => Sent.Where(r => r.Decision is not null)
        .GroupBy(r => r.DecisionDetail is null ? r.Decision! : $"{r.Decision} / {r.DecisionDetail}").Select(g => (g.Key, g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();

    /// <summary>The latency at quantile <paramref name="q"/> of the answered events, in ms.</summary>
    public double Percentile(double q)
    {
        var latencies = Sent.Where(r => r.StatusCode is not null && r.LatencyMs > 0).Select(r => r.LatencyMs).Order().ToList();
        return latencies.Count == 0 ? 0 : latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(q * latencies.Count) - 1)];
    }

    /// <summary>Whether everything was sent and nothing rejected or failed.</summary>
    public bool Clean => !Interrupted && NotSent == 0 && Count("rejected") == 0 && Count("failed") == 0;
}
