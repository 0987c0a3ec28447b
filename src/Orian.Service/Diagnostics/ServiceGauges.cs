using Orian.Storage;

namespace Orian.Service.Diagnostics;

/// <summary>What the database says about the service as a whole, at one moment.</summary>
internal sealed record ServiceGauges(
    long Unfanned, long PendingDeliveries, double? OldestPendingAgeSeconds, long DeadLetters, long OverdrawnAccounts);

/// <summary>Reads <see cref="ServiceGauges"/> (a few index reads and one scan of the accounts): for
/// the sampler behind the gauges, and for the status view, which reads it live.</summary>
internal sealed class ServiceGaugesReader(IDeliveryAdmin deliveries, ILedgerReader ledger, TimeProvider time)
{
    public async Task<ServiceGauges> ReadAsync(CancellationToken cancellationToken)
    {
        var backlog = await deliveries.GetBacklogAsync(Orian.Delivery.Backlog.CountedUpTo, cancellationToken);
        var overdrawn = await ledger.CountOverdrawnAsync(cancellationToken);
        var now = time.GetUtcNow();
        // Deliveries taken live wait too, until their leases' last is recorded (a lease counts all it
        // took until then: at most the recorded part of one batch per endpoint more than wait).
        var oldest = new[] { backlog.OldestPendingAt, backlog.OldestUnfannedAt, backlog.OldestLiveAt }.Where(o => o is not null).DefaultIfEmpty(null).Min();
        double? age = oldest is { } o ? Math.Round(Math.Max(0, (now - o).TotalSeconds), 3) : null;
        return new ServiceGauges(backlog.Unfanned, backlog.Pending + backlog.Live, age, backlog.Dead, overdrawn);
    }
}

/// <summary>
/// Samples <see cref="ServiceGauges"/> every <see cref="TelemetryOptions.SampleSeconds"/> for the
/// observable gauges, so a metrics collection (which may come every second) never queries the
/// database itself. A failed sample keeps the previous one and is retried at the next interval.
/// </summary>
internal sealed class TelemetrySampler : BackgroundService
{
    private readonly ServiceGaugesReader _reader;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<TelemetrySampler> _logger;
    private ServiceGauges? _latest;

    public TelemetrySampler(ServiceGaugesReader reader, OrianMetrics metrics, Microsoft.Extensions.Options.IOptions<Configuration.TelemetryOptions> options,
        TimeProvider time, ILogger<TelemetrySampler> logger)
    {
        _reader = reader;
        _time = time;
        _logger = logger;
        _interval = TimeSpan.FromSeconds(options.Value.SampleSeconds);
        metrics.ObserveBacklog(() => Volatile.Read(ref _latest));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        do
        {
            try
            {
                Volatile.Write(ref _latest, await _reader.ReadAsync(stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.SampleFailed(_logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
