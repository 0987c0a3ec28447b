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
/// Delivers outbox events to webhook endpoints, at least once, as a continuous pipeline: a fan-out
/// loop turns new events into deliveries; a claim loop leases due deliveries endpoint by endpoint
/// (several service instances can do this at once without sharing a delivery) whenever the senders
/// have room; a bounded pool of senders starts the next delivery as soon as one finishes; a recorder
/// writes the attempts in batches (one transaction for many). Nothing waits for the slowest delivery
/// of a batch, and each endpoint has at most <see cref="OutboxOptions.MaxConcurrencyPerEndpoint"/>
/// deliveries with this dispatcher at once, so a slow endpoint only slows itself.
/// Deliveries go out signed in the Standard Webhooks format; a failed attempt is retried on the
/// schedule (with jitter, or after <c>Retry-After</c>); after the last one the delivery is
/// dead-lettered for an operator to re-drive. <c>410 Gone</c> disables the endpoint. Each endpoint
/// has its own circuit breaker (failures and slow answers) and every request a timeout, one Polly
/// pipeline per endpoint (<see cref="EndpointBreakers"/>).
/// Instruction updates for the Payments Orchestrator travel the same way, sent by
/// <see cref="OrchestratorClient"/> instead of as a webhook.
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService, ILiveDeliveries
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
        _breakers = new EndpointBreakers(_time, TimeSpan.FromMilliseconds(_options.RequestTimeoutMs), TimeSpan.FromMilliseconds(_options.SlowAnswerMs));
        _attempts = new DeliveryAttempts(_options, _time, _breakers, [new WebhookSender(_client, _time), new OrchestratorSender(orchestrator)], logger,
            random ?? Random.Shared, metrics);
    }

    /// <summary>A delivery held under one lease: who holds it, until when; for one taken live, the
    /// version of its endpoint the batch matched it against (its address and secrets are read then).</summary>
    private sealed record Leased(string Owner, DateTimeOffset Until, ClaimedDelivery Delivery, DateTimeOffset? EndpointVersion = null);

    /// <summary>An attempt made (or a delivery put back unsent), waiting to be recorded.</summary>
    private sealed record Made(string Owner, AttemptOutcome Outcome, ClaimedDelivery Delivery);

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
        var made = Channel.CreateUnbounded<Made>(new UnboundedChannelOptions { SingleReader = true });
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


    /// <summary>
    /// The live path (<see cref="ILiveDeliveries"/>): of a ledger batch's webhook deliveries, those whose
    /// endpoint's lane has room and whose circuit is closed are leased to this instance, for the lanes
    /// after the commit. Instruction updates for the Orchestrator are never taken live: one in flight
    /// per instruction across instances is the claims' rule. Never waits; null when nothing is taken
    /// (the dispatcher is not running, or every lane is full).
    /// </summary>
    public ILiveReservation? Reserve(LedgerChanges changes)
    {
        if (_running is not { } pipeline || pipeline.Stopping)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        // A lease owner per batch, as per claim: the database finds a lease's rows by owner in a few
        // index probes, where one owner for every live delivery had its index entries pile up.
        var (owner, until) = NewLease(now, "live");
        List<(int Index, string EndpointId)>? taken = null;
        for (var i = 0; i < changes.Deliveries.Count; i++)
        {
            var d = changes.Deliveries[i];
            if (d.EndpointId == FanOut.OrchestratorEndpointId || _breakers.IsOpen(d.EndpointId) || !pipeline.TryTakeLive(d.EndpointId))
            {
                continue;
            }

            changes.Deliveries[i] = d with { LeaseOwner = owner, LeaseUntil = until };
            (taken ??= []).Add((i, d.EndpointId));
        }

        return taken is null ? null : new LiveReservation(pipeline, owner, until, taken);
    }

    /// <summary>A batch's room in the lanes: handed over after its commit, given back otherwise.</summary>
    private sealed class LiveReservation(Pipeline pipeline, string owner, DateTimeOffset until, List<(int Index, string EndpointId)> taken) : ILiveReservation
    {
        private int _done;

        public void Committed(LedgerChanges changes)
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            var events = new Dictionary<string, OutboxEvent>(StringComparer.Ordinal);
            foreach (var e in changes.Outbox)
            {
                events.TryAdd(e.EventId, e);
            }

            var versions = changes.Subscriptions.ToDictionary(s => s.EndpointId, s => s.UpdatedAt, StringComparer.Ordinal);
            foreach (var (i, _) in taken)
            {
                var d = changes.Deliveries[i];
                var e = events[d.EventId];
                var delivery = new ClaimedDelivery
                {
                    EventId = e.EventId, EventType = e.Type, Payload = e.Payload, EndpointId = d.EndpointId, EndpointKind = Destinations.Webhook,
                    TransactionId = e.TransactionId, EventCreatedAt = e.At, TraceParent = e.TraceParent, Live = true,
                };
                pipeline.Lanes.Enqueue(d.EndpointId, new Leased(owner, until, delivery, versions.GetValueOrDefault(d.EndpointId)), reserved: true);
            }
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            foreach (var (_, endpointId) in taken)
            {
                pipeline.GiveBackLive(endpointId);
            }
        }
    }

    /// <summary>The state the loops of <see cref="RunAsync"/> share: the lanes (what each endpoint
    /// holds), and what is claimed and not yet recorded (the claims' capacity).</summary>
    private sealed class Pipeline
    {
        private readonly WebhookDispatcher d;
        private readonly ChannelWriter<Made> _made;
        private readonly CancellationToken _stop;
        private int _unrecorded;
        private int _liveUnrecorded;

        public int InFlight => Volatile.Read(ref _unrecorded) + Volatile.Read(ref _liveUnrecorded);

        public Pipeline(WebhookDispatcher dispatcher, ChannelWriter<Made> made, CancellationToken stop)
        {
            d = dispatcher;
            _made = made;
            _stop = stop;
            Lanes = new(d._options.MaxConcurrency, d._options.MaxConcurrencyPerEndpoint, d._options.LiveDepthPerEndpoint, SendAsync, stop);
        }

        public DeliveryLanes<Leased> Lanes { get; }

        public bool Stopping => _stop.IsCancellationRequested;

        /// <summary>Claimed deliveries this instance holds at most (not yet recorded): enough to keep
        /// every sender busy while the next batch is claimed and the last one recorded.</summary>
        private int Capacity => 2 * d._options.MaxConcurrency;

        private void RingClaims() => d._signal.RingDeliveries();

        public async Task FanOutLoopAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var fanned = 0;
                try
                {
                    fanned = await d.FanOutAsync(d._time.GetUtcNow(), stop);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    Log.DispatchFailed(d._logger, e, "fan-out");
                }

                Interlocked.Increment(ref d._fanOutRounds);

                if (fanned > 0)
                {
                    RingClaims(); // new deliveries (or events with no subscriber: the claim finds nothing)
                }

                if (fanned >= d._options.BatchSize)
                {
                    continue; // more waiting
                }

                if (fanned > 0)
                {
                    // Events are arriving: let a few more gather rather than run a transaction each.
                    await Task.Delay(Linger, d._time, stop);
                    continue;
                }

                await d._signal.WaitAsync(TimeSpan.FromMilliseconds(d._options.PollIntervalMs), d._time, stop);
            }
        }

        public async Task ClaimLoopAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var room = Capacity - Volatile.Read(ref _unrecorded);
                var want = Math.Min(d._options.BatchSize, room);
                var claimed = 0;
                if (want >= Math.Max(1, Math.Min(d._options.BatchSize, Capacity) / 4)) // claim in batches, not a delivery at a time
                {
                    try
                    {
                        claimed = await ClaimAsync(want, stop);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                    {
                        Log.DispatchFailed(d._logger, e, "claim");
                    }
                }

                Interlocked.Increment(ref d._claimRounds);
                if (claimed == 0 || claimed < want)
                {
                    if (claimed > 0)
                    {
                        // Work is flowing: let a few slots free up rather than claim one delivery
                        // per transaction (on SQLite every claim takes a turn on the one writer).
                        await Task.Delay(Linger, d._time, stop);
                    }

                    // Nothing more due now, or no room: wait for new deliveries, a free slot, a
                    // recorded batch or the poll interval (retries falling due).
                    await d._signal.WaitForDeliveriesAsync(TimeSpan.FromMilliseconds(d._options.PollIntervalMs), d._time, stop);
                }
            }
        }

        /// <summary>One claim: what the lanes hold counts against each endpoint's share, so a lane
        /// busy with live deliveries is claimed for only once it has room.</summary>
        private async Task<int> ClaimAsync(int want, CancellationToken stop)
        {
            var now = d._time.GetUtcNow();
            var (owner, until) = d.NewLease(now);
            var limits = new ClaimLimits(want, d._options.MaxConcurrencyPerEndpoint, d._orchestrator.Enabled) { Busy = Lanes.Busy(), Skip = d._breakers.Open() };
            var claimed = await d._store.ClaimDueAsync(owner, now, until, limits, stop);
            Interlocked.Add(ref _unrecorded, claimed.Count);
            Interlocked.Add(ref d._claimed, claimed.Count);
            foreach (var c in claimed)
            {
                Lanes.Enqueue(c.EndpointId, new Leased(owner, until, c), reserved: false);
            }

            return claimed.Count;
        }

        /// <summary>What a lane does with one delivery: process it (never throws but when stopping)
        /// and hand the outcome to the recorder.</summary>
        private async Task SendAsync(Leased leased, CancellationToken stop)
        {
            AttemptOutcome? outcome;
            try
            {
                outcome = await d.ProcessAsync(leased, stop);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // The lease could not be checked (the database is away): not sent; the lease
                // runs out and the delivery is claimed again.
                Log.DispatchFailed(d._logger, e, "lease check");
                outcome = null;
            }
            catch (OperationCanceledException)
            {
                outcome = null;
            }

            if (outcome is null)
            {
                Unrecorded(leased.Delivery, -1);
            }
            else
            {
                _made.TryWrite(new Made(leased.Owner, outcome, leased.Delivery));
            }

            if (!leased.Delivery.Live)
            {
                RingClaims(); // a slot of this endpoint is free: claim on, without waiting for the record
            }
        }

        private void Unrecorded(ClaimedDelivery delivery, int change) =>
            Interlocked.Add(ref delivery.Live ? ref _liveUnrecorded : ref _unrecorded, change);

        /// <summary>Live deliveries taken and not yet recorded, at most: the lanes send faster than a
        /// slow database records, and what waits for the recorder is held in memory, so beyond this
        /// the batches leave their deliveries to the claims until the recorder catches up.</summary>
        private int LiveCapacity => 4 * Math.Max(d._options.MaxConcurrency, d._options.BatchSize);

        /// <summary>Takes room for one live delivery of <paramref name="endpointId"/>: in its lane, and
        /// among what waits to be recorded. Never waits.</summary>
        public bool TryTakeLive(string endpointId)
        {
            if (Interlocked.Increment(ref _liveUnrecorded) > LiveCapacity)
            {
                Interlocked.Decrement(ref _liveUnrecorded);
                return false;
            }

            if (Lanes.TryReserve(endpointId))
            {
                return true;
            }

            Interlocked.Decrement(ref _liveUnrecorded);
            return false;
        }

        /// <summary>Gives back what <see cref="TryTakeLive"/> took (the batch did not commit).</summary>
        public void GiveBackLive(string endpointId)
        {
            Lanes.Unreserve(endpointId);
            Interlocked.Decrement(ref _liveUnrecorded);
        }

        public async Task RecordLoopAsync(ChannelReader<Made> made, CancellationToken stop)
        {
            var batch = new List<Made>(d._options.BatchSize);
            while (await made.WaitToReadAsync(stop))
            {
                batch.Clear();
                while (batch.Count < d._options.BatchSize && made.TryRead(out var m))
                {
                    batch.Add(m);
                }

                await d.RecordAsync([.. batch.Select(m => (m.Owner, m.Outcome, m.Delivery))], stop);
                if (batch.Count < d._options.BatchSize && !stop.IsCancellationRequested)
                {
                    // A partial batch: let more attempts gather before the next transaction.
                    await Task.Delay(Linger, d._time, CancellationToken.None);
                }

                foreach (var m in batch)
                {
                    Unrecorded(m.Delivery, -1);
                }

                if (batch.Any(m => !m.Delivery.Live))
                {
                    RingClaims(); // room for claims again
                }
            }
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
    /// What becomes of one claimed delivery: put back unsent if its endpoint's circuit opened since
    /// the claim; not sent (null) if the lease cannot be held through the send; otherwise sent, once.
    /// </summary>
    private async Task<AttemptOutcome?> ProcessAsync(Leased leased, CancellationToken cancellationToken)
    {
        var delivery = leased.Delivery;
        var now = _time.GetUtcNow();
        if (_breakers.IsOpen(delivery.EndpointId))
        {
            return _attempts.Postponed(delivery, EndpointBreakers.BreakFor);
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
            return outcome;
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
        if (leased.Until - _time.GetUtcNow() >= needed)
        {
            return true;
        }

        var renewed = _time.GetUtcNow().AddSeconds(_options.LeaseSeconds);
        return leased.Delivery.Live
            ? await _store.RenewLiveLeaseAsync(leased.Owner, leased.Delivery.EventId, leased.Delivery.EndpointId, renewed, cancellationToken)
            : (await _store.RenewLeasesAsync(leased.Owner, [leased.Delivery.Id], renewed, cancellationToken)).Count == 1;
    }

    /// <summary>Records attempts (of any claims) in one transaction. If that transaction fails, each
    /// attempt is recorded in a transaction of its own, so one record the database refuses cannot
    /// hold back the others (their deliveries would otherwise all be sent again each lease). A failure
    /// to record is logged, not thrown: the attempt was made, and its delivery goes out again (same
    /// webhook-id) once its lease runs out.</summary>
    private async Task RecordAsync(IReadOnlyList<(string Owner, AttemptOutcome Outcome, ClaimedDelivery Delivery)> attempts, CancellationToken cancellationToken)
    {
        var recorded = new List<AttemptOutcome>(attempts.Count);
        try
        {
            recorded.AddRange(await _store.RecordAttemptsAsync([.. attempts.Select(a => (a.Owner, a.Outcome))], cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.RecordFailed(_logger, e, attempts.Count);
            if (attempts.Count == 1)
            {
                return;
            }

            foreach (var (owner, outcome, _) in attempts)
            {
                try
                {
                    recorded.AddRange(await _store.RecordAttemptsAsync([(owner, outcome)], cancellationToken));
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

        foreach (var (_, o, d) in attempts)
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
