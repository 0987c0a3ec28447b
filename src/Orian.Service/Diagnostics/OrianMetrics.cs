using System.Diagnostics.Metrics;
using Orian.Authorisation;
using Orian.Ledger;

namespace Orian.Service.Diagnostics;

/// <summary>
/// The service's own instruments, on one <see cref="Meter"/> named <c>Orian</c> (from the host's
/// <see cref="IMeterFactory"/>, so each host has its own). Names follow OpenTelemetry's style;
/// durations are in milliseconds, with explicit bucket boundaries. Every tag value is from a fixed
/// set (never a client's string), so no series count grows with traffic. What is counted here, and
/// when to alert on it, is listed in <c>docs/operations.md</c>. What the status view shows of the last
/// minute is kept beside, in <see cref="Recent"/>.
/// </summary>
internal sealed class OrianMetrics
{
    public const string MeterName = "Orian";

    /// <summary>Bucket boundaries of the millisecond histograms: fine below 10 ms (a batch commit,
    /// a decision), coarse up to a minute (a delivery lag).</summary>
    public static readonly IReadOnlyList<double> MillisecondBuckets =
        [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000];

    /// <summary>Bucket boundaries of the batch-size histogram (events per commit).</summary>
    public static readonly IReadOnlyList<int> BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private static readonly InstrumentAdvice<double> Milliseconds = new() { HistogramBucketBoundaries = MillisecondBuckets };

    private readonly Counter<long> _events;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _writerChanges;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _standIns;
    private readonly Counter<long> _revocations;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _decisionDuration;
    private readonly Histogram<double> _decisionPhase;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _batchFailures;
    private readonly Counter<long> _batchRetries;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Histogram<double> _deliveryLag;
    private readonly KeyValuePair<string, object?> _provider;

    public OrianMetrics(IMeterFactory factory, Orian.Storage.OrianStorage storage, TimeProvider time)
    {
        Meter = factory.Create(MeterName);
        Recent = new RecentActivity(time);
        _provider = new("orian.provider", storage.Provider);
        _events = Meter.CreateCounter<long>("orian.events", "{event}",
            "Events applied to the ledger, by version outcome (applied, duplicate, stale, conflict) and storage provider.");
        _rejections = Meter.CreateCounter<long>("orian.rejections", "{request}",
            "ORIAN requests refused before the ledger (nothing stored), by reason and HTTP status.");
        _unavailable = Meter.CreateCounter<long>("orian.unavailable", "{request}",
            "Requests answered 503 (nothing stored; the sender retries), by cause: partition_full, commit_timeout, database.");
        _reconnects = Meter.CreateCounter<long>("orian.db.reconnects", "{reconnect}",
            "Writes that got through to the database after a connection was lost, by the host reached (a failover is one, and a primary change too)");
        _writerChanges = Meter.CreateCounter<long>("orian.db.writer.changes", "{change}",
            "Times the database host written to changed (a failover of a replicated database; the first host observed counts as orian.db.change=first)");
        _authFailures = Meter.CreateCounter<long>("orian.auth.failures", "{request}",
            "Requests refused for their credentials, by surface (ingress, operator) and reason.");
        _decisions = Meter.CreateCounter<long>("orian.decisions", "{decision}",
            "Delegated authorisation answers, by result and result detail; stand-ins included (orian.stand_in).");
        _standIns = Meter.CreateCounter<long>("orian.stand_ins", "{decision}",
            "Authorisations answered with the stand-in, by cause: deadline, capacity, failure.");
        _revocations = Meter.CreateCounter<long>("orian.revocations", "{decision}",
            "Committed decisions revoked because the request was answered with the stand-in.");
        _requestDuration = Meter.CreateHistogram("orian.request.duration", "ms",
            "From an ORIAN request's arrival to its answer, by kind (notification, authorisation) and HTTP status.", advice: Milliseconds);
        _decisionDuration = Meter.CreateHistogram("orian.decision.duration", "ms",
            "From an authorisation request's arrival to its decision (committed or stand-in).", advice: Milliseconds);
        _decisionPhase = Meter.CreateHistogram("orian.decision.phase.duration", "ms",
            "Where a committed decision's time went, by orian.phase: lane, begin, lock, plan, write, commit, confirm, answer.", advice: Milliseconds);
        _batchSize = Meter.CreateHistogram("orian.batch.size", "{event}", "Events per ledger commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBuckets });
        _batchDuration = Meter.CreateHistogram("orian.batch.duration", "ms", "Time to apply and commit one ledger batch.", advice: Milliseconds);
        _batchFailures = Meter.CreateCounter<long>("orian.batch.failures", "{batch}",
            "Ledger batches that failed and were applied again event by event.");
        _batchRetries = Meter.CreateCounter<long>("orian.batch.retries", "{batch}",
            "Ledger batches run again inside the worker, by reason: lost_race (another writer changed a row read), commit_not_applied, transient.");
        _deliveries = Meter.CreateCounter<long>("orian.deliveries", "{attempt}",
            "Delivery attempts by result (delivered, failed, dead_lettered, refused, postponed) and destination (webhook, orchestrator).");
        _deliveryDuration = Meter.CreateHistogram("orian.delivery.duration", "ms", "Time from sending a delivery to its answer.", advice: Milliseconds);
        _deliveryLag = Meter.CreateHistogram("orian.delivery.lag", "ms",
            "From the commit that wrote an event to its 2xx from the destination (the lag a tenant sees).", advice: Milliseconds);
    }

    public Meter Meter { get; }

    /// <summary>The last minute, in memory, for <c>GET /v1/status</c>.</summary>
    public RecentActivity Recent { get; }

    /// <summary>A committed ledger batch: its size, its duration and each event's outcome.</summary>
    public void BatchCommitted(IReadOnlyList<ApplyResult> results, double milliseconds)
    {
        _batchSize.Record(results.Count);
        _batchDuration.Record(milliseconds);
        foreach (var result in results)
        {
            _events.Add(1, new KeyValuePair<string, object?>("orian.outcome", result.Outcome.ToWire()), _provider);
        }

        Recent.Applied(results);
    }

    public void BatchFailed() => _batchFailures.Add(1);

    /// <summary>A batch run again: <paramref name="reason"/> is <c>lost_race</c>, <c>commit_not_applied</c> or <c>transient</c>.</summary>
    public void BatchRetried(string reason) => _batchRetries.Add(1, new KeyValuePair<string, object?>("orian.reason", reason));

    /// <summary>A request refused at the edge. <paramref name="reason"/> is one of a fixed set
    /// (<c>unauthorized</c>, <c>bad_signature</c>, <c>unsupported_media_type</c>, <c>too_large</c>,
    /// <c>invalid_field</c>, <c>invalid_id</c>, <c>id_mismatch</c>).</summary>
    public void Rejected(string reason, int status)
    {
        _rejections.Add(1, new KeyValuePair<string, object?>("orian.reason", reason), new KeyValuePair<string, object?>("http.response.status_code", status));
        Recent.Rejected();
    }

    /// <summary>A 503: <paramref name="cause"/> is <c>partition_full</c>, <c>commit_timeout</c> or <c>database</c>.</summary>
    public void Unavailable(string cause) => _unavailable.Add(1, new KeyValuePair<string, object?>("orian.cause", cause));

    /// <summary>Credentials refused: <paramref name="surface"/> is <c>ingress</c> or <c>operator</c>.</summary>
    /// <summary>Writes went to <paramref name="host"/> from now on (<paramref name="first"/>: the first host seen).</summary>
    public void WriterChanged(string host, bool first) =>
        _writerChanges.Add(1, new KeyValuePair<string, object?>("orian.db.host", host), new KeyValuePair<string, object?>("orian.db.change", first ? "first" : "moved"));

    /// <summary>Writes got through to <paramref name="host"/> again after a lost connection.</summary>
    public void Reconnected(string host) => _reconnects.Add(1, new KeyValuePair<string, object?>("orian.db.host", host));

    public void AuthFailed(string surface, string reason) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("orian.surface", surface), new KeyValuePair<string, object?>("orian.reason", reason));

    /// <summary>An ORIAN request answered: kind <c>notification</c> or <c>authorisation</c>.</summary>
    public void Answered(string kind, int status, double milliseconds) =>
        _requestDuration.Record(milliseconds, new KeyValuePair<string, object?>("orian.kind", kind), new KeyValuePair<string, object?>("http.response.status_code", status));

    /// <summary>The phases of a committed decision (<see cref="DecisionTimings.Phases"/>, then the answer).</summary>
    public void DecisionPhases(double[] phases, double answering)
    {
        for (var i = 0; i < phases.Length; i++)
        {
            if (!double.IsNaN(phases[i]))
            {
                _decisionPhase.Record(phases[i], new KeyValuePair<string, object?>("orian.phase", DecisionTimings.Phases[i]));
            }
        }

        _decisionPhase.Record(answering, new KeyValuePair<string, object?>("orian.phase", "answer"));
    }

    /// <summary>An authorisation answered; <paramref name="standInCause"/> is null for a committed decision.</summary>
    public void Decided(Decision decision, string? standInCause, double milliseconds)
    {
        _decisions.Add(1,
            new KeyValuePair<string, object?>("orian.result", decision.ResultText),
            new KeyValuePair<string, object?>("orian.result_detail", decision.Detail),
            new KeyValuePair<string, object?>("orian.stand_in", standInCause is not null));
        if (standInCause is not null)
        {
            _standIns.Add(1, new KeyValuePair<string, object?>("orian.cause", standInCause));
        }

        _decisionDuration.Record(milliseconds);
        Recent.Decided(milliseconds, standInCause is not null);
    }

    public void Revoked(int count)
    {
        if (count > 0)
        {
            _revocations.Add(count);
        }
    }

    /// <summary>One delivery attempt's result (<c>delivered</c>, <c>failed</c>, <c>dead_lettered</c>,
    /// <c>refused</c> or <c>postponed</c>) for a destination kind; the lag is for delivered ones.</summary>
    public void Delivery(string result, string destination, double? milliseconds, double? lagMilliseconds = null)
    {
        var kind = new KeyValuePair<string, object?>("orian.destination", destination);
        _deliveries.Add(1, new KeyValuePair<string, object?>("orian.result", result), kind);
        if (milliseconds is { } ms)
        {
            _deliveryDuration.Record(ms, kind);
        }

        if (lagMilliseconds is { } lag)
        {
            _deliveryLag.Record(Math.Max(0, lag), kind);
            Recent.Delivered(Math.Max(0, lag));
        }
    }

    /// <summary>Items waiting per partition and lane (<c>authorisation</c>, <c>notification</c>).</summary>
    public void ObserveQueues(Func<IEnumerable<Measurement<int>>> observe) =>
        Meter.CreateObservableGauge("orian.partition.queued", observe, "{event}", "Events accepted and waiting for their partition's worker, by partition and lane.");

    /// <summary>The gauges read from the database by the sampler; nothing is reported before its first sample.</summary>
    public void ObserveBacklog(Func<ServiceGauges?> latest)
    {
        Meter.CreateObservableGauge("orian.outbox.pending", () => Sample(latest(), g => g.PendingDeliveries + g.Unfanned), "{delivery}",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Deliveries waiting (and events not yet fanned out), from the last sample; each count stops at {Orian.Delivery.Backlog.CountedUpTo:N0}."));
        Meter.CreateObservableGauge("orian.outbox.oldest_age", () => Sample(latest(), g => g.OldestPendingAgeSeconds ?? 0), "s",
            "Age of the oldest waiting delivery or unfanned event, from the last sample.");
        Meter.CreateObservableGauge("orian.outbox.dead_letters", () => Sample(latest(), g => g.DeadLetters), "{delivery}",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Dead-lettered deliveries (waiting for an operator's re-drive), from the last sample; counted up to {Orian.Delivery.Backlog.CountedUpTo:N0}."));
        Meter.CreateObservableGauge("orian.accounts.overdrawn", () => Sample(latest(), g => g.OverdrawnAccounts), "{account}",
            "Accounts whose available balance is below zero, from the last sample.");
    }

    private static IEnumerable<Measurement<T>> Sample<T>(ServiceGauges? gauges, Func<ServiceGauges, T> read)
        where T : struct =>
        gauges is null ? [] : [new Measurement<T>(read(gauges))];
}
