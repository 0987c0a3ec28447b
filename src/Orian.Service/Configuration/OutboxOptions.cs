using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Outbox</c>: how events reach webhook endpoints.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Orian:Outbox";

    /// <summary>Waits before each retry after a failed attempt (the first attempt is immediate); a
    /// delivery still failing after the last is dead-lettered. Default: 5 s, 5 min, 30 min, 2 h, 5 h,
    /// 10 h, 10 h (Standard Webhooks' schedule): eight attempts over about 28 hours.</summary>
    [MinLength(0)]
    public List<TimeSpan> RetrySchedule { get; set; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Each wait is moved by up to this fraction either way, so retries of many deliveries
    /// do not arrive together. Default 0.1.</summary>
    [Range(0.0, 0.5)]
    public double JitterFraction { get; set; } = 0.1;

    /// <summary>A request taking longer fails the attempt. Default 10 s.</summary>
    [Range(100, 120_000)]
    public int RequestTimeoutMs { get; set; } = 10_000;

    /// <summary>How often the dispatcher looks for due work when nothing woke it. Default 1 s.</summary>
    [Range(10, 60_000)]
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>How long a claimed delivery is reserved for one dispatcher; after a crash another
    /// takes it over once the lease runs out (same webhook-id). Default 60 s.</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Deliveries claimed (and events fanned out) per round. Default 100.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Requests in flight at once. Default 16.</summary>
    [Range(1, 512)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Longest <c>Retry-After</c> honoured. Default 24 h.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);
}
