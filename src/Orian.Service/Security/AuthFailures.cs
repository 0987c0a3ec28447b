using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;

namespace Orian.Service.Security;

/// <summary>
/// Authentication failures: every one counted (<c>orian.auth.failures</c>), but logged at most once
/// per <see cref="TelemetryOptions.AuthFailureLogSeconds"/> per surface and source address, with the number not
/// logged since. A misconfigured client or a scan therefore writes one line a minute, not one per
/// request. The sources remembered are bounded; past the bound, the stalest are forgotten.
/// </summary>
internal sealed class AuthFailures(OrianMetrics metrics, IOptions<TelemetryOptions> options, TimeProvider time, ILogger<AuthFailures> logger, AuthThrottle throttle)
{
    /// <summary>Source addresses remembered at most.</summary>
    public const int MaxSources = 10_000;

    private readonly ConcurrentDictionary<string, Source> _sources = new(StringComparer.Ordinal);

    /// <param name="guess">Whether the failure was a wrong secret (a key, token, password or signature),
    /// which costs the source a token of its guess budget (<see cref="AuthThrottle"/>). A 403 is not:
    /// its key was valid.</param>
    public void Record(HttpContext context, string surface, string reason, bool guess = true)
    {
        metrics.AuthFailed(surface, reason);
        if (guess)
        {
            throttle.Failed(surface, context.Connection.RemoteIpAddress);
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var key = surface + " " + address; // PPS's credentials and operator keys are told apart
        var now = time.GetTimestamp();
        var interval = TimeSpan.FromSeconds(options.Value.AuthFailureLogSeconds);
        if (_sources.Count >= MaxSources && !_sources.ContainsKey(key))
        {
            Forget(now, interval);
        }

        var source = _sources.GetOrAdd(key, _ => new Source());
        long suppressed;
        lock (source)
        {
            if (source.LoggedAt is { } at && time.GetElapsedTime(at, now) < interval)
            {
                source.Suppressed++;
                return;
            }

            suppressed = source.Suppressed;
            source.Suppressed = 0;
            source.LoggedAt = now;
        }

        Log.AuthFailed(logger, surface, address, reason, suppressed, (int)interval.TotalSeconds);
    }

    /// <summary>Drops the sources not logged within the interval; if that frees nothing, all of them
    /// (their next failure is logged at once, which is the safe direction).</summary>
    private void Forget(long now, TimeSpan interval)
    {
        foreach (var (key, source) in _sources)
        {
            if (source.LoggedAt is not { } at || time.GetElapsedTime(at, now) >= interval)
            {
                _sources.TryRemove(key, out _);
            }
        }

        if (_sources.Count >= MaxSources)
        {
            _sources.Clear();
        }
    }

    private sealed class Source
    {
        public long? LoggedAt;
        public long Suppressed;
    }
}
