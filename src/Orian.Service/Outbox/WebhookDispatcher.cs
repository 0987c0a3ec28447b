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
    private readonly ResiliencePipeline<HttpResponseMessage> _timeout;
    private readonly ConcurrentDictionary<string, EndpointHealth> _health = new(StringComparer.Ordinal);
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private long _claims;

    /// <summary>Endpoint health records kept at most: beyond, the map starts afresh (endpoints come and go).</summary>
    private const int MaxEndpointsTracked = 10_000;

    private readonly Random _random;

    public WebhookDispatcher(
        IOutboxQueue store, IOptions<OutboxOptions> options, TimeProvider time, OutboxSignal signal, OrchestratorClient orchestrator, ILogger<WebhookDispatcher> logger,
        Random? random = null)
    {
        _random = random ?? Random.Shared;
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
        _timeout = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }.AddTimeout(TimeSpan.FromMilliseconds(_options.RequestTimeoutMs)).Build();
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

    /// <summary>
    /// One round: fan out new events, then send what is due. Attempts are recorded in batches (one
    /// transaction for many) as they finish. Before a send the lease is checked: with less left than
    /// a request may take, it is renewed first, and a delivery whose lease another dispatcher took
    /// over is not sent. Returns the work done.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var fanned = await _store.FanOutAsync(now, _options.BatchSize, cancellationToken);
        var owner = $"{_instance}:{Interlocked.Increment(ref _claims)}"; // one token per claim
        var leaseUntil = now.AddSeconds(_options.LeaseSeconds);
        var claimed = await _store.ClaimDueAsync(owner, now, leaseUntil, _options.BatchSize, _orchestrator.Enabled, cancellationToken);
        var recorder = new AttemptRecorder(_store, owner, _options.MaxConcurrency, _logger);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (delivery, ct) =>
            {
                if (!await HoldsLeaseAsync(owner, delivery, leaseUntil, ct))
                {
                    Log.LeaseLost(_logger, delivery.Id);
                    return;
                }

                await recorder.AddAsync(await AttemptAsync(delivery, ct), delivery, ct);
            });
        await recorder.FlushAsync(cancellationToken);
        return fanned + claimed.Count;
    }

    /// <summary>What a lease must have left beyond a request's timeout before a send.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(5);

    /// <summary>Whether this dispatcher may send <paramref name="delivery"/> now: its lease (taken
    /// until <paramref name="claimedUntil"/>) must outlast the longest a request may take, and is
    /// renewed here when it would not; false when another dispatcher has taken it over.</summary>
    private async Task<bool> HoldsLeaseAsync(string owner, ClaimedDelivery delivery, DateTimeOffset claimedUntil, CancellationToken cancellationToken)
    {
        var needed = TimeSpan.FromMilliseconds(_options.RequestTimeoutMs) + LeaseMargin;
        if (claimedUntil - _time.GetUtcNow() >= needed)
        {
            return true;
        }

        var renewed = _time.GetUtcNow().AddSeconds(_options.LeaseSeconds);
        return (await _store.RenewLeasesAsync(owner, [delivery.Id], renewed, cancellationToken)).Count == 1;
    }

    /// <summary>Collects the attempts of a round and records them a batch at a time, so that one
    /// commit serves many attempts while no attempt waits for the whole round.</summary>
    private sealed class AttemptRecorder(IOutboxQueue store, string owner, int batch, ILogger logger)
    {
        private readonly List<(AttemptOutcome Outcome, ClaimedDelivery Delivery)> _pending = [];
        private readonly SemaphoreSlim _gate = new(1, 1);

        public async Task AddAsync(AttemptOutcome outcome, ClaimedDelivery delivery, CancellationToken cancellationToken)
        {
            List<(AttemptOutcome, ClaimedDelivery)>? full = null;
            lock (_pending)
            {
                _pending.Add((outcome, delivery));
                if (_pending.Count >= batch)
                {
                    full = [.. _pending];
                    _pending.Clear();
                }
            }

            if (full is not null)
            {
                await RecordAsync(full, cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            List<(AttemptOutcome, ClaimedDelivery)> rest;
            lock (_pending)
            {
                rest = [.. _pending];
                _pending.Clear();
            }

            await RecordAsync(rest, cancellationToken);
        }

        private async Task RecordAsync(List<(AttemptOutcome Outcome, ClaimedDelivery Delivery)> attempts, CancellationToken cancellationToken)
        {
            if (attempts.Count == 0)
            {
                return;
            }

            await _gate.WaitAsync(cancellationToken);
            try
            {
                var recorded = (await store.RecordAttemptsAsync(owner, attempts.ConvertAll(a => a.Outcome), cancellationToken)).ToHashSet();
                foreach (var (o, d) in attempts)
                {
                    if (!recorded.Contains(o.DeliveryId))
                    {
                        Log.LeaseLost(logger, o.DeliveryId);
                    }
                    else if (!o.Delivered && o.NextAttemptAt is null)
                    {
                        Log.DeadLettered(logger, o.DeliveryId, d.EventId, d.EndpointId, o.Attempt, o.Error ?? "");
                    }
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>
    /// One attempt at one delivery, whatever happens: any exception of this delivery (other than
    /// this dispatcher stopping) is a failed attempt with its reason, counted towards the dead letter,
    /// and never reaches the other deliveries of the round.
    /// </summary>
    private async Task<AttemptOutcome> AttemptAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var attempt = delivery.Attempts + 1;
        var started = _time.GetTimestamp();
        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        var refused = false;
        var health = HealthOf(delivery.EndpointId);
        if (health.IsOpen(_time.GetUtcNow()))
        {
            var now0 = _time.GetUtcNow();
            var wait = attempt > _schedule.Count ? (DateTimeOffset?)null : now0 + Jittered(_schedule[attempt - 1]);
            return new AttemptOutcome(delivery.Id, delivery.EndpointId, attempt, now0, null, 0, "circuit open: the endpoint is slow or failing", false, wait, false);
        }

        try
        {
            using var response = await _timeout.ExecuteAsync(
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // stopping: the lease runs out and another dispatcher (or this one, restarted) sends it
        }
        catch (Exception e)
        {
            // Anything else (a malformed header from a bad token, a payload that will not build...):
            // recorded by its type only, since a message may quote the value that broke it.
            error = $"unexpected {e.GetType().Name}";
            Log.DeliveryFault(_logger, delivery.Id, e.GetType().Name);
        }

        var now = _time.GetUtcNow();
        // A refused connection records no timing: the attempt log must not tell which addresses answer.
        var latency = refused ? 0 : _time.GetElapsedTime(started).TotalMilliseconds;
        // What counts against the endpoint: no answer, a server error, "too many requests", or an
        // answer slower than SlowAnswerMs. A 4xx is the request's problem, not the endpoint's health.
        var bad = (error is not null && status is null or >= 500 or 429) || latency > _options.SlowAnswerMs;
        health.Record(now, bad);
        var gone = status == (int)HttpStatusCode.Gone && !IsOrchestrator(delivery); // only a tenant's endpoint can be retired
        var delivered = error is null;
        DateTimeOffset? next = delivered || gone || attempt > _schedule.Count ? null : now + (retryAfter ?? Jittered(_schedule[attempt - 1]));
        return new AttemptOutcome(delivery.Id, delivery.EndpointId, attempt, now, status, latency, error, delivered, next, gone);
    }

    private EndpointHealth HealthOf(string endpointId)
    {
        if (_health.Count > MaxEndpointsTracked)
        {
            _health.Clear();
        }

        return _health.GetOrAdd(endpointId, _ => new EndpointHealth());
    }

    /// <summary>
    /// An endpoint's recent attempts: its circuit breaker, counting failures and slow answers alike.
    /// Half of at least <see cref="MinimumAttempts"/> attempts in the last
    /// <see cref="Window"/> slow or failed opens it for <see cref="BreakFor"/>; while open, the
    /// endpoint's deliveries are not sent, so a slow endpoint only slows itself.
    /// </summary>
    internal sealed class EndpointHealth
    {
        public const int MinimumAttempts = 5;
        public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
        public static readonly TimeSpan BreakFor = TimeSpan.FromSeconds(30);

        private readonly Queue<(DateTimeOffset At, bool Bad)> _recent = new();
        private DateTimeOffset _openUntil = DateTimeOffset.MinValue;

        public bool IsOpen(DateTimeOffset now)
        {
            lock (_recent)
            {
                return now < _openUntil;
            }
        }

        public void Record(DateTimeOffset now, bool failed)
        {
            lock (_recent)
            {
                _recent.Enqueue((now, failed));
                while (_recent.Count > 0 && _recent.Peek().At < now - Window)
                {
                    _recent.Dequeue();
                }

                if (_recent.Count >= MinimumAttempts && _recent.Count(r => r.Bad) * 2 >= _recent.Count)
                {
                    _openUntil = now + BreakFor;
                    _recent.Clear();
                }
            }
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

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        return wait is { } w && w > TimeSpan.Zero ? (w > _options.MaxRetryAfter ? _options.MaxRetryAfter : w) : null;
    }

    private TimeSpan Jittered(TimeSpan wait) =>
        wait * (1 + ((_random.NextDouble() * 2) - 1) * _options.JitterFraction);

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }
}
