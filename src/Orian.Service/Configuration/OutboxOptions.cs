using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Outbox</c>: how events reach webhook endpoints.</summary>
public sealed class OutboxOptions : IValidatableObject
{
    public const string Section = "Orian:Outbox";

    /// <summary>Allow <c>http</c> webhook URLs outside Development (only <c>https</c> otherwise). Default false.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Comma-separated CIDRs that webhooks and Orchestrator calls may reach although they are
    /// loopback, private, link-local, unique-local or CGNAT (e.g. <c>10.1.0.0/16</c> for an on-premise
    /// receiver). Empty by default: no internal address is reachable.</summary>
    public string AllowedPrivateNetworks { get; set; } = "";

    /// <summary>Run the dispatcher in this instance. Default true; turn it off for instances that
    /// should only take traffic (another instance, or several, dispatch).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Waits before each retry after a failed attempt (the first attempt is immediate),
    /// comma-separated with units ms, s, m, h; a delivery still failing after the last is
    /// dead-lettered. An empty string means one attempt only. Default "5s,5m,30m,2h,5h,10h,10h"
    /// (Standard Webhooks' schedule): eight attempts over about 28 hours. A string rather than a list
    /// because configuration binding merges lists into their defaults instead of replacing them.</summary>
    [RegularExpression(@"^\s*(\d+\s*(ms|s|m|h)\s*(,\s*\d+\s*(ms|s|m|h)\s*)*)?$", ErrorMessage = "Orian:Outbox:RetrySchedule must look like \"5s,5m,30m,2h\".")]
    public string RetrySchedule { get; set; } = "5s,5m,30m,2h,5h,10h,10h";

    /// <summary><see cref="RetrySchedule"/> as waits.</summary>
    public IReadOnlyList<TimeSpan> GetRetryWaits() => ParseSchedule(RetrySchedule);

    public static IReadOnlyList<TimeSpan> ParseSchedule(string schedule) =>
        schedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            var unit = part.EndsWith("ms", StringComparison.Ordinal) ? "ms" : part[^1..];
            var value = long.Parse(part[..^unit.Length].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            return unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => throw new FormatException($"'{part}' needs a unit: ms, s, m or h."),
            };
        }).ToList();

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

    /// <summary>Deliveries claimed, attempts recorded, events fanned out and settled events purged per
    /// transaction at most. Default 100.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Requests in flight at once (the senders of this instance). Default 128.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 128;

    /// <summary>Deliveries one endpoint may have with this instance at once, claimed and not yet
    /// answered: a slow endpoint holds at most this many senders, never all of them. At most
    /// <see cref="MaxConcurrency"/>. Default 64: measured on two cores, 16 held one endpoint to about
    /// 500 webhooks/s (each answer took ~30 ms with the box saturated), 64 kept up with 750 events/s.</summary>
    [Range(1, 1024)]
    public int MaxConcurrencyPerEndpoint { get; set; } = 64;

    /// <summary>Deliveries of one endpoint the dispatcher takes live at most (handed over by the ledger
    /// batches that wrote them, waiting for a sender or being sent). Beyond, a batch leaves them to the
    /// claims and never waits.</summary>
    [Range(0, 100_000)]
    public int LiveDepthPerEndpoint { get; set; } = 512;

    /// <summary>Longest <c>Retry-After</c> honoured. Default 24 h.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An answer slower than this counts against its endpoint like a failure: when half of
    /// at least five attempts within 30 s were slow or failed, the endpoint's circuit opens for 30 s
    /// and its deliveries wait (they are retried on their schedule). Default 2 s.</summary>
    [Range(10, 120_000)]
    public int SlowAnswerMs { get; set; } = 2000;

    /// <summary>How long an endpoint's circuit stays open once it opens; then one attempt probes it,
    /// and a failed probe opens it again. Default 30 s (Polly's floor is 0.5 s).</summary>
    [Range(500, 3_600_000)]
    public int CircuitBreakMs { get; set; } = 30_000;

    /// <summary>Settled outbox history (an event whose deliveries were all delivered or dead-lettered,
    /// with those deliveries and their attempt log) older than this many days is purged, so the outbox
    /// does not grow without bound; 0 keeps it for ever. Pending deliveries are never purged; a dead
    /// letter can be re-driven until its event is this old. Default 90.</summary>
    [Range(0, 36_500)]
    public int HistoryRetentionDays { get; set; } = 90;

    /// <summary>How often the history past <see cref="HistoryRetentionDays"/> is purged, in pages of
    /// <see cref="BatchSize"/> events. Default 60 s: each pass deletes about a minute's events, a few
    /// seconds' work, rather than an hour's in one stretch.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int HistoryPurgeIntervalSeconds { get; set; } = 60;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (LeaseSeconds * 1000L < 2L * RequestTimeoutMs + (long)Delivery.WebhookDispatcher.LeaseMargin.TotalMilliseconds)
        {
            yield return new("Orian:Outbox:LeaseSeconds must cover two request timeouts (Orian:Outbox:RequestTimeoutMs) and 5 s more, "
                + "so a lease always outlives the send made under it.");
        }

        if (MaxConcurrencyPerEndpoint > MaxConcurrency)
        {
            yield return new("Orian:Outbox:MaxConcurrencyPerEndpoint must not exceed Orian:Outbox:MaxConcurrency: one endpoint can never hold more senders than there are.");
        }

        if (Delivery.Egress.From(AllowedPrivateNetworks).Invalid is { } invalid)
        {
            yield return new($"Orian:Outbox:AllowedPrivateNetworks (env Orian__Outbox__AllowedPrivateNetworks) must be comma-separated CIDRs such as 10.1.0.0/16; '{invalid}' is not one.");
        }
    }
}
