using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Orian.Service.Delivery;

/// <summary>
/// Each endpoint's circuit breaker and request timeout, as one Polly pipeline per endpoint, on the
/// injected clock. What counts against an endpoint: no answer (a timeout, a refused or failed
/// connection), a server error, <c>429</c>, or an answer slower than the slow-answer threshold; a 4xx
/// is the request's problem, not the endpoint's health. When half of at least
/// <see cref="MinimumAttempts"/> attempts in <see cref="Window"/> counted against it, the circuit opens
/// for <see cref="BreakFor"/> (<c>CircuitBreakMs</c>): its deliveries are neither claimed nor taken
/// live, and one already on its way is not sent (a claimed one put back, a live one left to its
/// lease), so a failing or slow endpoint only slows itself. Then one attempt probes (half-open) and
/// closes it, or it opens again; while it probes, the endpoint counts as open.
/// </summary>
internal sealed class EndpointBreakers(TimeProvider time, TimeSpan requestTimeout, TimeSpan slowAnswer, TimeSpan breakFor, ILogger logger)
{
    public const int MinimumAttempts = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit stays open before one attempt probes it (default 30 s).</summary>
    public TimeSpan BreakFor => breakFor;

    /// <summary>Why a delivery waits while its endpoint's circuit is open.</summary>
    public const string OpenError = "circuit open: the endpoint is slow or failing";

    /// <summary>Endpoints kept at most: beyond, the map starts afresh (endpoints come and go).</summary>
    private const int MaxKept = 10_000;

    private readonly ConcurrentDictionary<string, Breaker> _breakers = new(StringComparer.Ordinal);

    /// <summary>An answer and how long it took (a slow one counts against the endpoint).</summary>
    public readonly record struct Answer(HttpResponseMessage Response, TimeSpan Took);

    private sealed class Breaker
    {
        public required ResiliencePipeline<Answer> Pipeline { get; init; }
        public required CircuitBreakerStateProvider State { get; init; }

        /// <summary>Until when the circuit stays open (Polly moves it to half-open only at the next call).</summary>
        public long OpenUntilTicks;
    }

    /// <summary>Whether <paramref name="endpointId"/>'s deliveries must wait now: its circuit is open and
    /// its break not over, or it is half-open, one attempt probing it. Polly refuses every other attempt
    /// until the probe's answer closes or opens the circuit again, so a delivery claimed or taken live
    /// meanwhile would only go unsent, a claimed one costing a claim and a record (the recorder's time,
    /// which every endpoint's deliveries wait for), a live one its lease's wait. Once a break is over
    /// and before the probe, deliveries flow: the first to be sent is the probe.</summary>
    public bool IsOpen(string endpointId) =>
        _breakers.TryGetValue(endpointId, out var b) && b.State.CircuitState switch
        {
            CircuitState.Open or CircuitState.Isolated => time.GetUtcNow().UtcTicks < Interlocked.Read(ref b.OpenUntilTicks),
            CircuitState.HalfOpen => true,
            _ => false,
        };

    /// <summary>The endpoints whose circuit is open now.</summary>
    public HashSet<string> Open() => [.. _breakers.Keys.Where(IsOpen)];

    /// <summary>Sends through <paramref name="endpointId"/>'s breaker and timeout. Throws
    /// <see cref="BrokenCircuitException"/> when the circuit is open (nothing was sent),
    /// <see cref="TimeoutRejectedException"/> when no answer came in time.</summary>
    public ValueTask<Answer> SendAsync(string endpointId, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken) =>
        Of(endpointId).Pipeline.ExecuteAsync(async ct =>
        {
            var started = time.GetTimestamp();
            var response = await send(ct);
            return new Answer(response, time.GetElapsedTime(started));
        }, cancellationToken);

    private Breaker Of(string endpointId)
    {
        if (_breakers.TryGetValue(endpointId, out var known))
        {
            return known;
        }

        if (_breakers.Count >= MaxKept)
        {
            _breakers.Clear();
        }

        return _breakers.GetOrAdd(endpointId, Create);
    }

    private Breaker Create(string endpointId)
    {
        var state = new CircuitBreakerStateProvider();
        Breaker? breaker = null;
        var pipeline = new ResiliencePipelineBuilder<Answer> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<Answer>
            {
                FailureRatio = 0.5,
                MinimumThroughput = MinimumAttempts,
                SamplingDuration = Window,
                BreakDuration = BreakFor,
                StateProvider = state,
                ShouldHandle = args => ValueTask.FromResult(CountsAgainst(args.Outcome)),
                OnOpened = args =>
                {
                    Interlocked.Exchange(ref breaker!.OpenUntilTicks, (time.GetUtcNow() + args.BreakDuration).UtcTicks);
                    Log.CircuitOpened(logger, endpointId, (long)args.BreakDuration.TotalMilliseconds, Cause(args.Outcome));
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Log.CircuitClosed(logger, endpointId);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(requestTimeout)
            .Build();
        return breaker = new Breaker { Pipeline = pipeline, State = state };
    }

    /// <summary>What the attempt that opened a circuit met, in Orian's own words (no address, no body).</summary>
    private string Cause(Outcome<Answer> last) => last.Exception switch
    {
        TimeoutRejectedException => $"no answer within {requestTimeout.TotalMilliseconds:0} ms",
        not null => $"a failed request ({last.Exception.GetType().Name})",
        null when (int)last.Result.Response.StatusCode is >= 500 or 429 => $"HTTP {(int)last.Result.Response.StatusCode}",
        null => $"an answer in {last.Result.Took.TotalMilliseconds:0} ms (slow beyond {slowAnswer.TotalMilliseconds:0} ms)",
    };

    private bool CountsAgainst(Outcome<Answer> outcome) => outcome.Exception switch
    {
        TimeoutRejectedException => true,
        OperationCanceledException => false, // stopping: says nothing of the endpoint
        not null => true,
        null => (int)outcome.Result.Response.StatusCode is >= 500 or 429 || outcome.Result.Took > slowAnswer,
    };
}
