using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Orian.Security;
using Orian.Service.Configuration;
using Orian.Storage;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Orian.Service.Outbox;

/// <summary>
/// Delivers outbox events to webhook endpoints, at least once. Each round fans new events out into
/// deliveries, leases the due ones (several service instances can run this at once without sharing
/// a delivery), sends them signed in the Standard Webhooks format, and records every attempt. A
/// failed attempt is retried on the schedule (with jitter, or after <c>Retry-After</c>); after the
/// last one the delivery is dead-lettered for an operator to re-drive. <c>410 Gone</c> disables the
/// endpoint. Each endpoint has its own circuit breaker and every request a timeout (Polly).
/// Instruction updates for the Payments Orchestrator travel the same way, sent by
/// <see cref="OrchestratorClient"/> instead of as a webhook.
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService
{
    private readonly IOutboxQueue _store;
    private readonly OutboxOptions _options;
    private readonly IReadOnlyList<TimeSpan> _schedule;
    private readonly TimeProvider _time;
    private readonly OutboxSignal _signal;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly OrchestratorClient _orchestrator;
    private readonly HttpClient _client;
    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.Ordinal);
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private long _claims;

    public WebhookDispatcher(
        IOutboxQueue store, IOptions<OutboxOptions> options, TimeProvider time, OutboxSignal signal, OrchestratorClient orchestrator, ILogger<WebhookDispatcher> logger)
    {
        _orchestrator = orchestrator;
        _store = store;
        _options = options.Value;
        _schedule = _options.GetRetryWaits();
        _time = time;
        _signal = signal;
        _logger = logger;
        // Timeouts come from the Polly pipeline (on the injected clock), not from HttpClient. The
        // handler refuses internal addresses at connect time and follows no redirect; no answer body
        // is read (the status decides), and none could be buffered beyond the limit.
        var egress = Egress.From(_options.AllowedPrivateNetworks).Egress ?? throw new OptionsValidationException(
            OutboxOptions.Section, typeof(OutboxOptions), ["Orian:Outbox:AllowedPrivateNetworks must be comma-separated CIDRs."]);
        _client = new HttpClient(egress.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = Egress.MaxResponseBytes };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            int worked;
            try
            {
                worked = await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.DispatchFailed(_logger, e);
                worked = 0;
            }

            if (worked == 0)
            {
                await _signal.WaitAsync(TimeSpan.FromMilliseconds(_options.PollIntervalMs), _time, stoppingToken);
            }
        }
    }

    /// <summary>One round: fan out new events, then send what is due. Returns the work done.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var fanned = await _store.FanOutAsync(now, _options.BatchSize, cancellationToken);
        var owner = $"{_instance}:{Interlocked.Increment(ref _claims)}"; // one token per claim
        var claimed = await _store.ClaimDueAsync(owner, now, now.AddSeconds(_options.LeaseSeconds), _options.BatchSize, _orchestrator.Enabled, cancellationToken);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (delivery, ct) => await DeliverAsync(owner, delivery, ct));
        return fanned + claimed.Count;
    }

    private async Task DeliverAsync(string owner, ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var attempt = delivery.Attempts + 1;
        var started = _time.GetTimestamp();
        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        var refused = false;
        try
        {
            using var response = await PipelineFor(delivery.EndpointId).ExecuteAsync(
                async ct => IsOrchestrator(delivery)
                    ? await _orchestrator.SendUpdateAsync(delivery, ct)
                    : await _client.SendAsync(Request(delivery), HttpCompletionOption.ResponseHeadersRead, ct),
                cancellationToken);
            status = (int)response.StatusCode;
            retryAfter = RetryAfter(response);
            if (!response.IsSuccessStatusCode)
            {
                error = $"HTTP {status}";
            }
        }
        catch (BrokenCircuitException)
        {
            error = "circuit open: the endpoint failed repeatedly";
        }
        catch (TimeoutRejectedException)
        {
            error = $"no answer within {_options.RequestTimeoutMs} ms";
        }
        catch (HttpRequestException e) when (e.InnerException is EgressRefusedException || e is { InnerException.InnerException: EgressRefusedException })
        {
            refused = true;
            error = EgressRefusedException.AttemptError;
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }

        var now = _time.GetUtcNow();
        // A refused connection records no timing: the attempt log must not tell which addresses answer.
        var latency = refused ? 0 : _time.GetElapsedTime(started).TotalMilliseconds;
        var gone = status == (int)HttpStatusCode.Gone && !IsOrchestrator(delivery); // only a tenant's endpoint can be retired
        var delivered = error is null;
        DateTimeOffset? next = delivered || gone || attempt > _schedule.Count ? null : now + (retryAfter ?? Jittered(_schedule[attempt - 1]));
        var outcome = new AttemptOutcome(delivery.Id, delivery.EndpointId, attempt, now, status, latency, error, delivered, next, gone);
        if (!await _store.RecordAttemptAsync(owner, outcome, cancellationToken))
        {
            Log.LeaseLost(_logger, delivery.Id);
        }
        else if (!delivered && next is null)
        {
            Log.DeadLettered(_logger, delivery.Id, delivery.EventId, delivery.EndpointId, attempt, error ?? "");
        }
    }

    private static bool IsOrchestrator(ClaimedDelivery delivery) => delivery.EndpointKind == "orchestrator";

    private HttpRequestMessage Request(ClaimedDelivery delivery)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var now = _time.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var signature = StandardWebhookSignature.Sign(StandardWebhookSignature.KeyFromSecret(delivery.Secret), delivery.EventId, timestamp, body);
        if (delivery.PreviousSecret is { } previous && delivery.PreviousSecretExpiresAt > now)
        {
            // During a rotation both signatures go out: receivers with either secret can verify.
            signature += " " + StandardWebhookSignature.Sign(StandardWebhookSignature.KeyFromSecret(previous), delivery.EventId, timestamp, body);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", delivery.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        return request;
    }

    private ResiliencePipeline<HttpResponseMessage> PipelineFor(string endpointId) =>
        _pipelines.GetOrAdd(endpointId, _ =>
        {
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 5,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(30),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.TooManyRequests),
            });
            builder.AddTimeout(TimeSpan.FromMilliseconds(_options.RequestTimeoutMs));
            return builder.Build();
        });

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        return wait is { } w && w > TimeSpan.Zero ? (w > _options.MaxRetryAfter ? _options.MaxRetryAfter : w) : null;
    }

    private TimeSpan Jittered(TimeSpan wait) =>
        wait * (1 + ((Random.Shared.NextDouble() * 2) - 1) * _options.JitterFraction);

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }
}
