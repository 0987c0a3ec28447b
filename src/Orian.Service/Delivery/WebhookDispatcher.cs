using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orian.Delivery;
using Orian.Ledger;
using Orian.Outbox;
using Orian.Security;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;
using Orian.Storage;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Orian.Service.Delivery;

/// <summary>
/// Delivers outbox events, at least once, to tenants' webhooks and the Payments Orchestrator. The
/// live path: a ledger batch leases to this instance the deliveries it has room for and hands them
/// over after its commit (<see cref="Reserve"/>, in <c>WebhookDispatcher.Live.cs</c>), so most go out
/// with no claim. The loops (<c>WebhookDispatcher.Loops.cs</c>): a fan-out round for what no batch fanned
/// out; claims for everything else (retries, re-drives, Orchestrator updates, a full lane's overflow,
/// what a dead instance's lease left), endpoint by endpoint, several instances at once without sharing
/// a delivery; and a recorder that writes outcomes in batches. Both paths feed one lane per endpoint
/// (<see cref="DeliveryLanes{T}"/>), so a slow endpoint only slows itself. Here: the lease check
/// before a send and the record after it. One attempt and what its answer means is
/// <see cref="DeliveryAttempts"/>; how it leaves, a <see cref="IDeliverySender"/>; each endpoint's
/// breaker and timeout, <see cref="EndpointBreakers"/>.
/// </summary>
internal sealed partial class WebhookDispatcher : BackgroundService, ILiveDeliveries
{
    private readonly EndpointTargets _targets;
    private readonly IOutboxQueue _store;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly OutboxSignal _signal;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly OrchestratorClient _orchestrator;
    private readonly HttpClient _client;
    private readonly EndpointBreakers _breakers;
    private readonly DeliveryAttempts _attempts;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private readonly Diagnostics.OrianMetrics? _metrics;
    private long _claims;

    /// <summary>How long attempts already made may still be recorded once the service stops.</summary>
    private static readonly TimeSpan RecordOnStop = TimeSpan.FromSeconds(5);

    /// <summary>How long the fan-out, the claims and the recorder let work gather after a partial
    /// batch while work is flowing: fewer, larger transactions for at most this much more lag.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(10);

    /// <summary>What a lease must have left beyond a request's timeout before a send.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(5);

    public WebhookDispatcher(
        IOutboxQueue store, IOptions<OutboxOptions> options, TimeProvider time, OutboxSignal signal, OrchestratorClient orchestrator, ILogger<WebhookDispatcher> logger,
        Random? random = null, Diagnostics.OrianMetrics? metrics = null)
    {
        _metrics = metrics;
        _orchestrator = orchestrator;
        _store = store;
        _targets = new EndpointTargets(store);
        _options = options.Value;
        _time = time;
        _signal = signal;
        _logger = logger;
        // Timeouts come from the Polly pipeline (on the injected clock), not from HttpClient. The
        // handler refuses internal addresses at connect time and follows no redirect; no answer body
        // is read (the status decides), and none could be buffered beyond the limit. Connections
        // are kept alive and pooled per endpoint by the handler.
        var egress = Egress.From(_options.AllowedPrivateNetworks).Egress ?? throw new OptionsValidationException(
            OutboxOptions.Section, typeof(OutboxOptions), ["Orian:Outbox:AllowedPrivateNetworks must be comma-separated CIDRs."]);
        _client = new HttpClient(egress.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = Egress.MaxResponseBytes };
        _breakers = new EndpointBreakers(_time, TimeSpan.FromMilliseconds(_options.RequestTimeoutMs), TimeSpan.FromMilliseconds(_options.SlowAnswerMs),
            TimeSpan.FromMilliseconds(_options.CircuitBreakMs), logger);
        _attempts = new DeliveryAttempts(_options, _time, _breakers, [new WebhookSender(_client, _time), new OrchestratorSender(orchestrator)], logger,
            random ?? Random.Shared, metrics);
    }

    /// <summary>A delivery held under one lease: who holds it, until when; for one taken live, the
    /// version of its endpoint the batch matched it against (its address and secrets are read then) and
    /// its batch's lease row.</summary>
    private sealed record Leased(string Owner, DateTimeOffset Until, ClaimedDelivery Delivery, DateTimeOffset? EndpointVersion = null, LiveLease? Lease = null);

    /// <summary>An attempt made (or a delivery put back unsent), waiting to be recorded.</summary>
    private sealed record Made(string Owner, AttemptOutcome Outcome, ClaimedDelivery Delivery, LiveLease? Lease);

    /// <summary>The lanes and the recorder's channel while <see cref="RunAsync"/> runs; null otherwise,
    /// when nothing is taken live.</summary>
    private volatile Pipeline? _running;

    private long _claimRounds;

    private long _fanOutRounds;

    /// <summary>Turns of the fan-out loop since the dispatcher started (whether or not they found work).</summary>
    public long FanOutRounds => Interlocked.Read(ref _fanOutRounds);

    /// <summary>Turns of the claim loop since the dispatcher started (whether or not they found work).</summary>
    public long ClaimRounds => Interlocked.Read(ref _claimRounds);

    private long _claimed;

    /// <summary>Deliveries claimed since the dispatcher started.</summary>
    public long Claimed => Interlocked.Read(ref _claimed);

    /// <summary>Deliveries taken (claimed or live) and not yet recorded or given up: 0 when the
    /// dispatcher holds nothing it has not settled.</summary>
    public int InFlight => _running is { } pipeline ? pipeline.InFlight : 0;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _options.DispatcherEnabled ? RunAsync(stoppingToken) : Task.CompletedTask;

    /// <summary>
    /// The pipeline, until <paramref name="stoppingToken"/>: the fan-out round, the claims, the lanes
    /// of senders and the recorder run side by side, and ledger batches hand over the deliveries they
    /// lease to this instance (<see cref="Reserve"/>). On stop nothing new is taken, claimed or sent;
    /// attempts already made are still recorded (for a few seconds); deliveries held but not sent
    /// wait for their leases to run out and go out again from whichever dispatcher claims them next,
    /// under the same webhook-id.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var made = Channel.CreateBounded<Made>(new BoundedChannelOptions(Pipeline.Holding(_options)) { SingleReader = true });
        var pipeline = new Pipeline(this, made.Writer, stoppingToken);
        using var recording = new CancellationTokenSource();
        var recorder = pipeline.RecordLoopAsync(made.Reader, recording.Token);
        var fanOut = pipeline.FanOutLoopAsync(stoppingToken);
        _running = pipeline;
        try
        {
            await Quietly(pipeline.ClaimLoopAsync(stoppingToken));
        }
        finally
        {
            _running = null;
            await Quietly(pipeline.Lanes.DrainedAsync());
            made.Writer.TryComplete();
            recording.CancelAfter(RecordOnStop);
            await Quietly(recorder);
            await Quietly(fanOut);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }


    /// <summary>A lease's owner token (unique per claim, and per batch taken live) and end.</summary>
    private (string Owner, DateTimeOffset Until) NewLease(DateTimeOffset now, string kind = "claim") =>
        ($"{_instance}:{kind}:{Interlocked.Increment(ref _claims)}", now.AddSeconds(_options.LeaseSeconds));


    /// <summary>One fan-out transaction, as an <c>orian.fanout</c> span when something listens.</summary>
    private async Task<int> FanOutAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var activity = OrianActivities.Source.StartActivity("orian.fanout");
        var fanned = await _store.FanOutAsync(now, _options.BatchSize, cancellationToken);
        activity?.SetTag("orian.events", fanned);
        return fanned;
    }

    /// <summary>
    /// What becomes of one delivery taken (claimed or live): not sent if its endpoint's circuit opened
    /// since (<see cref="PutBack"/>); not sent (null) if the lease cannot be held through the send;
    /// otherwise sent, once.
    /// </summary>
    private async Task<AttemptOutcome?> ProcessAsync(Leased leased, CancellationToken cancellationToken)
    {
        var delivery = leased.Delivery;
        var now = _time.GetUtcNow();
        if (_breakers.IsOpen(delivery.EndpointId))
        {
            return PutBack(_attempts.Postponed(delivery, _breakers.BreakFor), delivery);
        }

        if (!await HoldsLeaseAsync(leased, cancellationToken))
        {
            Log.LeaseLost(_logger, delivery.EventId, delivery.EndpointId);
            return null;
        }

        if (delivery.Live && !await _targets.FillAsync(delivery, leased.EndpointVersion, cancellationToken))
        {
            return null; // the endpoint was disabled or deleted since the batch: not sent, and no longer claimable
        }

        using var activity = StartDeliveryActivity(delivery);
        var outcome = await _attempts.MakeAsync(delivery, cancellationToken);
        if (outcome.Postponed)
        {
            activity?.SetTag("orian.result", "postponed");
            return PutBack(outcome, delivery);
        }

        var result = outcome.Delivered ? "delivered" : outcome.Error == EgressRefusedException.AttemptError ? "refused" : outcome.NextAttemptAt is null ? "dead_lettered" : "failed";
        _metrics?.Delivery(result, delivery.EndpointKind, outcome.LatencyMs,
            outcome.Delivered ? (_time.GetUtcNow() - delivery.EventCreatedAt).TotalMilliseconds : null);
        if (activity is not null)
        {
            activity.SetTag("orian.result", result);
            activity.SetTag("http.response.status_code", outcome.StatusCode);
            if (!outcome.Delivered)
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome.Error);
                activity.AddEvent(new ActivityEvent(result == "dead_lettered" ? "dead-lettered: no attempt is left; an operator must re-drive it" : "failed: retried later"));
            }
        }

        return outcome;
    }

    /// <summary>A delivery not sent because its endpoint's circuit is open. A claimed one is put back,
    /// due when the circuit may close: its row holds its lease, and the record moves it. A live one
    /// has no row yet, and is left to its batch's lease (null: nothing to record), as when the
    /// dispatcher stops: once the lease runs out a claim takes it over, writes it pending and sends it
    /// when the circuit has closed. An endpoint whose circuit opens with hundreds of deliveries taken
    /// live so costs the recorder nothing at the moment every other endpoint's deliveries wait on it.</summary>
    private static AttemptOutcome? PutBack(AttemptOutcome postponed, ClaimedDelivery delivery) => delivery.Live ? null : postponed;

    /// <summary>The span of one attempt, current while the request is sent, so the request carries it
    /// as <c>traceparent</c>.</summary>
    private static Activity? StartDeliveryActivity(ClaimedDelivery delivery)
    {
        if (!OrianActivities.Source.HasListeners())
        {
            return null;
        }

        // A child of the request that caused the event when that request was traced (its trace
        // context was stored with the event); otherwise a root of its own.
        Activity.Current = null;
        ActivityContext.TryParse(delivery.TraceParent, null, isRemote: true, out var cause);
        var activity = OrianActivities.Source.StartActivity("orian.deliver", ActivityKind.Client, cause);
        if (activity is not null)
        {
            activity.SetTag(OrianActivities.EventId, delivery.EventId);
            activity.SetTag(OrianActivities.TransactionId, delivery.TransactionId);
            activity.SetTag("orian.event_type", delivery.EventType);
            activity.SetTag("orian.endpoint_id", delivery.EndpointId);
            activity.SetTag("orian.destination", delivery.EndpointKind);
            activity.SetTag("orian.attempt", delivery.Attempts + 1);
        }

        return activity;
    }

    /// <summary>Whether this dispatcher may send a delivery now: its lease must outlast the longest
    /// a request may take, and is renewed here when it would not; false when another dispatcher has
    /// taken it over.</summary>
    private async Task<bool> HoldsLeaseAsync(Leased leased, CancellationToken cancellationToken)
    {
        var needed = TimeSpan.FromMilliseconds(_options.RequestTimeoutMs) + LeaseMargin;
        if ((leased.Lease?.Until ?? leased.Until) - _time.GetUtcNow() >= needed)
        {
            return true;
        }

        var renewed = _time.GetUtcNow().AddSeconds(_options.LeaseSeconds);
        if (leased.Lease is not { } lease)
        {
            return (await _store.RenewLeasesAsync(leased.Owner, [leased.Delivery.Id], renewed, cancellationToken)).Count == 1;
        }

        // A live lease is the batch's row for all its deliveries to the endpoint: renewed once for
        // them all, and the others see the new end.
        if (!await _store.RenewLiveLeaseAsync(lease.Owner, renewed, cancellationToken))
        {
            return false;
        }

        lease.Renewed(renewed);
        return true;
    }

    /// <summary>Records attempts (of any claims) in one transaction. If that transaction fails, each
    /// attempt is recorded in a transaction of its own, so one record the database refuses cannot
    /// hold back the others (their deliveries would otherwise all be sent again each lease). A failure
    /// to record is logged, not thrown: the attempt was made, and its delivery goes out again (same
    /// webhook-id) once its lease runs out.</summary>
    private async Task RecordAsync(IReadOnlyList<Made> attempts, CancellationToken cancellationToken)
    {
        var recorded = new List<AttemptOutcome>(attempts.Count);
        try
        {
            recorded.AddRange(await RecordOnceAsync(attempts, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.RecordFailed(_logger, e, attempts.Count);
            if (attempts.Count == 1)
            {
                return;
            }

            foreach (var attempt in attempts)
            {
                try
                {
                    recorded.AddRange(await RecordOnceAsync([attempt], cancellationToken));
                }
                catch (Exception one) when (one is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Log.RecordFailed(_logger, one, 1);
                }
            }
        }

        var byKey = new Dictionary<(string, string, long), AttemptOutcome>();
        foreach (var r in recorded)
        {
            byKey.TryAdd(KeyOf(r), r);
        }

        foreach (var (_, o, d, _) in attempts)
        {
            if (!byKey.TryGetValue(KeyOf(o), out var r))
            {
                Log.LeaseLost(_logger, d.EventId, d.EndpointId);
            }
            else if (!o.Delivered && !o.Postponed && o.NextAttemptAt is null)
            {
                Log.DeadLettered(_logger, r.DeliveryId, d.EventId, d.EndpointId, o.Attempt, o.Error ?? "");
            }
        }
    }

    /// <summary>One record transaction. A live lease whose last unrecorded deliveries are among
    /// <paramref name="attempts"/> is ended in it (<see cref="AttemptOutcome.EndsLiveLease"/>): its row
    /// goes in the transaction that writes its last delivery's row, never before. The counts move only
    /// once the transaction commits, so a record that fails ends no lease, and the one that succeeds
    /// later (alone, or the lease's take-over) still finds it.</summary>
    private async Task<IReadOnlyList<AttemptOutcome>> RecordOnceAsync(IReadOnlyList<Made> attempts, CancellationToken cancellationToken)
    {
        Dictionary<LiveLease, int>? live = null;
        foreach (var a in attempts)
        {
            if (a.Lease is { } lease)
            {
                live ??= [];
                live[lease] = live.GetValueOrDefault(lease) + 1;
            }
        }

        var ending = live?.Where(l => l.Key.Recorded + l.Value >= l.Key.Total).Select(l => l.Key).ToHashSet();
        var recorded = await _store.RecordAttemptsAsync(
            [.. attempts.Select(a => (a.Owner, a.Lease is { } lease && ending!.Contains(lease) ? a.Outcome with { EndsLiveLease = true } : a.Outcome))],
            cancellationToken);
        foreach (var (lease, count) in live ?? [])
        {
            lease.Recorded += count;
        }

        return recorded;
    }

    /// <summary>An outcome's delivery, as sent and as recorded: a live one by its event (the record
    /// fills in its id), a claimed one by its id.</summary>
    private static (string, string, long) KeyOf(AttemptOutcome o) =>
        o.LiveEventId is { } eventId ? (o.EndpointId, eventId, 0) : (o.EndpointId, "", o.DeliveryId);

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }
}
