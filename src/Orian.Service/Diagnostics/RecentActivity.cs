using Orian.Ledger;

namespace Orian.Service.Diagnostics;

/// <summary>
/// The last minute of traffic in memory, for the status view: events per outcome in one-second
/// buckets, and the latencies of recent decisions and deliveries for percentiles. Metrics exporters
/// keep the long history; this answers "what is happening now" without one. Updated once per batch,
/// decision or delivery, under one short lock.
/// </summary>
internal sealed class RecentActivity(TimeProvider time)
{
    public const int WindowSeconds = 60;

    /// <summary>Latencies kept per window: past this many in a minute, the percentiles are of the most recent ones.</summary>
    public const int MaxSamples = 32_768;

    private readonly Lock _gate = new();
    private readonly Bucket[] _buckets = new Bucket[WindowSeconds];
    private readonly Samples _decisions = new();
    private readonly Samples _lags = new();
    private readonly long _started = time.GetTimestamp();

    public void Applied(IReadOnlyList<ApplyResult> results)
    {
        lock (_gate)
        {
            ref var bucket = ref Current();
            foreach (var result in results)
            {
                switch (result.Outcome)
                {
                    case VersionOutcome.Applied: bucket.Applied++; break;
                    case VersionOutcome.Duplicate: bucket.Duplicate++; break;
                    case VersionOutcome.Stale: bucket.Stale++; break;
                    default: bucket.Conflict++; break;
                }
            }
        }
    }

    public void Rejected()
    {
        lock (_gate)
        {
            Current().Rejected++;
        }
    }

    public void Decided(double milliseconds, bool standIn)
    {
        lock (_gate)
        {
            ref var bucket = ref Current();
            bucket.Decisions++;
            bucket.StandIns += standIn ? 1 : 0;
            _decisions.Add(Second(), milliseconds);
        }
    }

    public void Delivered(double lagMilliseconds)
    {
        lock (_gate)
        {
            Current().Delivered++;
            _lags.Add(Second(), lagMilliseconds);
        }
    }

    /// <summary>Sums and percentiles over the last <see cref="WindowSeconds"/> (or since start, if sooner).</summary>
    public RecentSnapshot Snapshot()
    {
        lock (_gate)
        {
            var now = Second();
            var total = default(Bucket);
            foreach (var b in _buckets)
            {
                if (b.Second > now - WindowSeconds && b.Second <= now)
                {
                    total.Applied += b.Applied;
                    total.Duplicate += b.Duplicate;
                    total.Stale += b.Stale;
                    total.Conflict += b.Conflict;
                    total.Rejected += b.Rejected;
                    total.Decisions += b.Decisions;
                    total.StandIns += b.StandIns;
                    total.Delivered += b.Delivered;
                }
            }

            var seconds = Math.Clamp(time.GetElapsedTime(_started).TotalSeconds, 1, WindowSeconds);
            var decisions = _decisions.Since(now - WindowSeconds);
            var lags = _lags.Since(now - WindowSeconds);
            return new RecentSnapshot(
                seconds, total.Applied, total.Duplicate, total.Stale, total.Conflict, total.Rejected, total.Decisions, total.StandIns, total.Delivered,
                Percentile(decisions, 0.50), Percentile(decisions, 0.99), Percentile(lags, 0.50), Percentile(lags, 0.99));
        }
    }

    /// <summary>Nearest-rank percentile of sorted values; null for none.</summary>
    public static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private long Second() => time.GetTimestamp() / time.TimestampFrequency;

    private ref Bucket Current()
    {
        var second = Second();
        ref var bucket = ref _buckets[(int)(second % WindowSeconds)];
        if (bucket.Second != second)
        {
            bucket = new Bucket { Second = second };
        }

        return ref bucket;
    }

    private struct Bucket
    {
        public long Second;
        public long Applied, Duplicate, Stale, Conflict, Rejected, Decisions, StandIns, Delivered;
    }

    /// <summary>A ring of (second, value): the newest <see cref="MaxSamples"/> latencies.</summary>
    private sealed class Samples
    {
        private readonly long[] _seconds = new long[MaxSamples];
        private readonly double[] _values = new double[MaxSamples];
        private long _count;

        public void Add(long second, double value)
        {
            var i = (int)(_count++ % MaxSamples);
            _seconds[i] = second;
            _values[i] = value;
        }

        public double[] Since(long afterSecond)
        {
            var n = (int)Math.Min(_count, MaxSamples);
            var list = new List<double>(n);
            for (var i = 0; i < n; i++)
            {
                if (_seconds[i] > afterSecond)
                {
                    list.Add(_values[i]);
                }
            }

            list.Sort();
            return [.. list];
        }
    }
}

/// <summary>The last minute: counts, and latency percentiles in milliseconds (null when there were none).</summary>
internal sealed record RecentSnapshot(
    double WindowSeconds, long Applied, long Duplicate, long Stale, long Conflict, long Rejected, long Decisions, long StandIns, long Delivered,
    double? DecisionP50, double? DecisionP99, double? LagP50, double? LagP99)
{
    public long Events => Applied + Duplicate + Stale + Conflict;
}
