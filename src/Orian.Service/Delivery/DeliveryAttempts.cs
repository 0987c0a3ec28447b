using System.Net;
using Microsoft.Extensions.Logging;
using Orian.Outbox;
using Orian.Service.Configuration;
using Orian.Storage;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Orian.Service.Delivery;

/// <summary>
/// One attempt at one delivery, and what its answer means: sent by its destination's sender through
/// the endpoint's breaker and timeout (<see cref="EndpointBreakers"/>); delivered on a 2xx; a
/// <c>410</c> retires a tenant's endpoint; anything else is retried after the next wait of the schedule
/// (jittered) or the endpoint's <c>Retry-After</c> (bounded), and dead-lettered after the last. Any
/// failure of the one delivery (other than the service stopping) is a failed attempt with its reason
/// in Orian's own words, never an exception that reaches another delivery.
/// </summary>
internal sealed class DeliveryAttempts(
    OutboxOptions options, TimeProvider time, EndpointBreakers breakers, IReadOnlyList<IDeliverySender> senders, ILogger logger, Random random,
    Diagnostics.OrianMetrics? metrics)
{
    private readonly IReadOnlyList<TimeSpan> _schedule = options.GetRetryWaits();
    private readonly Dictionary<string, IDeliverySender> _senders = senders.ToDictionary(s => s.Kind, StringComparer.Ordinal);

    public async Task<AttemptOutcome> MakeAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var attempt = delivery.Attempts + 1;
        var started = time.GetTimestamp();
        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        var refused = false;
        // A destination kind with no sender (a row written by a newer build) fails the attempt like
        // any other fault of one delivery, retried on the schedule, rather than stopping its lane.
        var sender = _senders.GetValueOrDefault(delivery.EndpointKind);
        try
        {
            if (sender is null)
            {
                throw new NotSupportedException();
            }

            var answer = await breakers.SendAsync(delivery.EndpointId, ct => sender.SendAsync(delivery, ct), cancellationToken);
            using var response = answer.Response;
            status = (int)response.StatusCode;
            retryAfter = RetryAfter(response);
            if (!response.IsSuccessStatusCode)
            {
                error = $"HTTP {status}";
            }
        }
        catch (BrokenCircuitException e)
        {
            // The circuit opened since the claim (or another attempt is probing it): not sent.
            return Postponed(delivery, e.RetryAfter ?? breakers.BreakFor);
        }
        catch (TimeoutRejectedException)
        {
            error = $"no answer within {options.RequestTimeoutMs} ms";
        }
        catch (HttpRequestException e) when (e.InnerException is EgressRefusedException || e is { InnerException.InnerException: EgressRefusedException })
        {
            refused = true;
            error = EgressRefusedException.AttemptError;
        }
        catch (ExchangeFailedException e)
        {
            error = e.Message; // Orian's own words
        }
        catch (HttpRequestException e)
        {
            error = AttemptErrors.Describe(e); // a fixed phrase: the exception's text names the host
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // stopping: the lease runs out and another dispatcher (or this one, restarted) sends it
        }
        catch (Exception e)
        {
            // Anything else (a malformed header from a bad token, a payload that will not build...):
            // recorded by its type only, since a message may quote the value that broke it.
            error = $"unexpected {e.GetType().Name}";
            Log.DeliveryFault(logger, delivery.EventId, delivery.EndpointId, e.GetType().Name);
        }

        var now = time.GetUtcNow();
        // A refused connection records no timing: the attempt log must not tell which addresses answer.
        var latency = refused ? 0 : time.GetElapsedTime(started).TotalMilliseconds;
        var gone = status == (int)HttpStatusCode.Gone && sender is { Retires: true };
        var delivered = error is null;
        DateTimeOffset? next = delivered || gone || attempt > _schedule.Count ? null : now + (retryAfter ?? Jittered(_schedule[attempt - 1]));
        return new AttemptOutcome(delivery.Id, delivery.EndpointId, attempt, now, status, latency, AttemptErrors.Bound(error), delivered, next, gone,
            LiveEventId: LiveEventOf(delivery), QueuedAt: QueuedAtOf(delivery));
    }

    /// <summary>A delivery put back unsent while its endpoint's circuit is open: due again once it may
    /// close, no attempt counted or logged.</summary>
    public AttemptOutcome Postponed(ClaimedDelivery delivery, TimeSpan wait)
    {
        metrics?.Delivery("postponed", delivery.EndpointKind, null);
        var now = time.GetUtcNow();
        return new AttemptOutcome(delivery.Id, delivery.EndpointId, delivery.Attempts, now, null, 0, EndpointBreakers.OpenError, false, now + wait, false,
            Postponed: true, LiveEventId: LiveEventOf(delivery), QueuedAt: QueuedAtOf(delivery));
    }

    /// <summary>The event of a delivery taken live (by which it is recorded), or null for a claimed one.</summary>
    public static string? LiveEventOf(ClaimedDelivery delivery) => delivery.Live ? delivery.EventId : null;

    /// <summary>When a delivery taken live was queued (its event's batch), or null for a claimed one.</summary>
    public static DateTimeOffset? QueuedAtOf(ClaimedDelivery delivery) => delivery.Live ? delivery.EventCreatedAt : null;

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } w && w > TimeSpan.Zero ? (w > options.MaxRetryAfter ? options.MaxRetryAfter : w) : null;
    }

    private TimeSpan Jittered(TimeSpan wait) =>
        wait * (1 + ((random.NextDouble() * 2) - 1) * options.JitterFraction);
}
