using System.Diagnostics.Metrics;
using Orian.Ledger;

namespace Orian.Service.Diagnostics;

/// <summary>
/// The service's own instruments, on one <see cref="Meter"/> named <c>Orian</c> (from the host's
/// <see cref="IMeterFactory"/>, so each host has its own). Names follow OpenTelemetry's style;
/// durations are in milliseconds, with explicit bucket boundaries. What is counted here, and when to
/// alert on it, is listed in <c>docs/operations.md</c>.
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

    private readonly Counter<long> _events;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _batchFailures;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryDuration;
    private readonly KeyValuePair<string, object?> _provider;

    public OrianMetrics(IMeterFactory factory, IConfiguration configuration)
    {
        Meter = factory.Create(MeterName);
        _provider = new("orian.provider", configuration["Orian:Storage:Provider"] ?? "sqlite");
        _events = Meter.CreateCounter<long>("orian.events", "{event}", "Events applied to the ledger, by version outcome (applied, duplicate, stale, conflict) and storage provider.");
        _batchSize = Meter.CreateHistogram("orian.batch.size", "{event}", "Events per ledger commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBuckets });
        _batchDuration = Meter.CreateHistogram("orian.batch.duration", "ms", "Time to apply and commit one ledger batch.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
        _batchFailures = Meter.CreateCounter<long>("orian.batch.failures", "{batch}", "Ledger batches that failed and were applied again event by event.");
        _deliveries = Meter.CreateCounter<long>("orian.deliveries", "{attempt}",
            "Delivery attempts by result (delivered, failed, dead_lettered, refused, postponed) and destination (webhook, orchestrator).");
        _deliveryDuration = Meter.CreateHistogram("orian.delivery.duration", "ms", "Time from sending a delivery to its answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
    }

    public Meter Meter { get; }

    /// <summary>A committed ledger batch: its size, its duration and each event's outcome.</summary>
    public void BatchCommitted(IReadOnlyList<ApplyResult> results, double milliseconds)
    {
        _batchSize.Record(results.Count);
        _batchDuration.Record(milliseconds);
        foreach (var result in results)
        {
            _events.Add(1, new KeyValuePair<string, object?>("orian.outcome", result.Outcome.ToWire()), _provider);
        }
    }

    public void BatchFailed() => _batchFailures.Add(1);

    /// <summary>One delivery attempt's result (<c>delivered</c>, <c>failed</c>, <c>dead_lettered</c>,
    /// <c>refused</c> or <c>postponed</c>) for a destination kind.</summary>
    public void Delivery(string result, string destination, double? milliseconds)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("orian.result", result), new KeyValuePair<string, object?>("orian.destination", destination));
        if (milliseconds is { } ms)
        {
            _deliveryDuration.Record(ms, new KeyValuePair<string, object?>("orian.destination", destination));
        }
    }
}
