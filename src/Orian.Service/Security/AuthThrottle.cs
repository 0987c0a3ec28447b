using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Orian.Service.Configuration;
using Orian.Service.Endpoints;

namespace Orian.Service.Security;

/// <summary>
/// Authentication guesses are budgeted per source address and surface (PPS ingress, operator API, HMAC
/// exchange). Each failure (<see cref="AuthFailures.Record"/>) takes a token from the source's bucket on
/// that surface; an empty bucket refuses the surface's requests from that source with <c>429</c> and
/// <c>Retry-After</c> before any credential is looked up, until tokens come back. Successes cost
/// nothing, so PPS's traffic, however heavy, is never slowed by it, and a flood of guesses from one
/// address stops nobody else. Runs in ASP.NET Core's rate-limiting middleware: each surface is a policy
/// whose partition (the source address) is a view of this budget.
/// </summary>
internal sealed class AuthThrottle : IDisposable
{
    public const string Ingress = "ingress";
    public const string Operator = "operator";
    public const string Hmac = "hmac";

    /// <summary>Sources remembered as having failed at most; past it, those whose bucket is full again are forgotten.</summary>
    public const int MaxFailingSources = 10_000;

    private readonly PartitionedRateLimiter<SourceKey> _budgets;
    private readonly int _burst;

    // The sources with a failure whose bucket may not be full yet: every other source (PPS, nearly
    // always) is let through without touching the budgets, which take a lock.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SourceKey, byte> _failing = new();
    private long _failuresSinceForget;

    public AuthThrottle(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _burst = o.AuthFailureBurst;
        RetryAfter = TimeSpan.FromSeconds(Math.Ceiling(60.0 / o.AuthFailuresPerMinute));
        _budgets = PartitionedRateLimiter.Create<SourceKey, SourceKey>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.AuthFailureBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = RetryAfter,
            QueueLimit = 0,
            AutoReplenishment = false, // the partitioned limiter replenishes every partition on one timer
        }));
    }

    /// <summary>How long a refused source waits for its next token.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>A failed authentication on <paramref name="surface"/> from <paramref name="source"/>.</summary>
    public void Failed(string surface, IPAddress? source)
    {
        var key = Key(surface, source);
        // Past the bound, the full buckets are forgotten, once every 1,024 failures at most: a guesser
        // spread over many addresses cannot make each failure walk the whole set.
        if (_failing.Count >= MaxFailingSources && (Interlocked.Increment(ref _failuresSinceForget) & 1023) == 0)
        {
            foreach (var known in _failing.Keys)
            {
                if (Full(known))
                {
                    _failing.TryRemove(known, out _);
                }
            }
        }

        _failing[key] = 0;
        using var lease = _budgets.AttemptAcquire(key);
    }

    /// <summary>Whether <paramref name="source"/> has guesses left on <paramref name="surface"/>.</summary>
    public bool Allows(string surface, IPAddress? source)
    {
        var key = Key(surface, source);
        if (!_failing.ContainsKey(key))
        {
            return true;
        }

        var left = _budgets.GetStatistics(key)?.CurrentAvailablePermits ?? _burst;
        if (left >= _burst)
        {
            _failing.TryRemove(key, out _); // full again: back to the path without the budgets
        }

        return left > 0;
    }

    private bool Full(SourceKey key) => (_budgets.GetStatistics(key)?.CurrentAvailablePermits ?? _burst) >= _burst;

    public void Dispose() => _budgets.Dispose();

    /// <summary>One source on one surface; no string is built per request (the key is looked up on
    /// every PPS request).</summary>
    private readonly record struct SourceKey(string Surface, IPAddress? Source);

    private static SourceKey Key(string surface, IPAddress? source) => new(surface, SourceAddress.Of(source));

    /// <summary>The middleware's policies, one per surface, and its 429.</summary>
    public static void AddPolicies(RateLimiterOptions options)
    {
        foreach (var surface in (ReadOnlySpan<string>)[Ingress, Operator, Hmac])
        {
            options.AddPolicy(surface, context =>
            {
                var throttle = context.RequestServices.GetRequiredService<AuthThrottle>();
                var source = context.Connection.RemoteIpAddress;
                return RateLimitPartition.Get(Key(surface, source), _ => new BudgetView(throttle, surface, source));
            });
        }

        options.OnRejected = async (rejected, cancellationToken) =>
        {
            var context = rejected.HttpContext;
            var throttle = context.RequestServices.GetRequiredService<AuthThrottle>();
            var seconds = (int)throttle.RetryAfter.TotalSeconds;
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.TooManyRequests(
                    $"Too many failed authentications from this address; try again in {seconds} s. Requests with valid credentials are refused too until then.")
                .ExecuteAsync(context);
        };
    }

    /// <summary>The middleware's limiter for one source on one surface: it lets a request through while
    /// the source has guesses left, and takes nothing itself (failures do).</summary>
    private sealed class BudgetView(AuthThrottle throttle, string surface, IPAddress? source) : RateLimiter
    {
        private static readonly RateLimitLease Allowed = new Verdict(true);
        private static readonly RateLimitLease Refused = new Verdict(false);

        // Idle (and so removable by the middleware) once the source's bucket is full again.
        public override TimeSpan? IdleDuration => throttle._failing.ContainsKey(Key(surface, source)) ? null : TimeSpan.FromMinutes(1);

        public override RateLimiterStatistics? GetStatistics() => throttle._budgets.GetStatistics(Key(surface, source));

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => throttle.Allows(surface, source) ? Allowed : Refused;

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    private sealed class Verdict(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
