using Microsoft.Extensions.Options;
using Orian.Api;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Ledger;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;
using Orian.Service.Pipeline;
using Orian.Service.Security;
using Orian.Wire;

namespace Orian.Service.Endpoints;

/// <summary><c>PUT /v2/transactions/{id}</c>: where PPS delivers ORIAN transactions. A 200 is sent
/// only after the event's batch has committed; anything else leaves no trace.</summary>
internal static class IngressEndpoints
{
    public static void MapIngress(this IEndpointRouteBuilder app) =>
        app.MapPut("/v2/transactions/{id}", PutTransactionAsync).WithName("PutTransaction").WithTags("Ingress")
            .RequireRateLimiting(AuthThrottle.Ingress).RequireAuthorization(PpsAuthenticationHandler.Policy)
            .WithDescription("One version of a PPS ORIAN v2 transaction (the body's id must be the path's). A notification is answered with what became of the version; " +
                "a delegated authorisation request with the transaction resource as received and the decision in its result. 200 only once the version is stored.")
            .Documents<OrianTransactionModel>()
            .Produces<IngestResponse>(StatusCodes.Status200OK)
            .AlsoAnswers<OrianAuthorisationAnswerModel>(StatusCodes.Status200OK,
                "Stored. A notification is answered with what became of the version (IngestResponse); a delegated authorisation request with " +
                "the transaction as received and the decision in txn_result (OrianAuthorisationAnswerModel), a decline or a stand-in included.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>What the ingress endpoint works with, all singletons: one service itself, so a request
    /// resolves one service, not twelve (measured against <c>[AsParameters]</c>: benchmarks/README.md).</summary>
    internal sealed record Services(
        IngressAuthenticator Authenticator,
        IngestPipeline Pipeline,
        PayloadKeys Keys,
        StandInReconciler Reconciler,
        FailureClassifier Classifier,
        IOptions<IngressOptions> Options,
        IOptions<AuthorisationOptions> Authorisation,
        AuthorisationPolicy Policy,
        OrianMetrics Metrics,
        AuthFailures AuthFailures,
        TimeProvider Time,
        ILogger<IngestPipeline> Logger);

    public static IServiceCollection AddIngress(this IServiceCollection services) => services.AddSingleton<Services>();

    private static async Task<IResult> PutTransactionAsync(string id, HttpContext context, Services services)
    {
        var (metrics, time) = (services.Metrics, services.Time);
        var started = time.GetTimestamp();
        using var activity = OrianActivities.Source.StartActivity("orian.receive");
        var edge = new Refusals(context, metrics, services.AuthFailures, services.Logger);
        var (pending, problem) = await ReadEventAsync(id, edge, services.Authenticator, services.Options.Value, services.Keys, time);
        var kind = pending?.Ticket is null ? "notification" : "authorisation";
        if (pending is not null && activity is not null)
        {
            activity.SetTag(OrianActivities.TransactionId, pending.Event.Id);
            activity.SetTag(OrianActivities.Version, pending.Event.Version);
            activity.SetTag("orian.kind", kind);
        }

        var answer = pending is null ? problem! : await AnswerAsync(pending, started, context, services);
        var status = (answer as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        activity?.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
        }

        metrics.Answered(kind, status, time.GetElapsedTime(started).TotalMilliseconds);
        return answer;
    }

    /// <summary>A valid event: its decision, or its commit's outcome.</summary>
    private static async Task<IResult> AnswerAsync(PendingEvent pending, long started, HttpContext context, Services services)
    {
        var (pipeline, settings, metrics, time, logger) = (services.Pipeline, services.Options.Value, services.Metrics, services.Time, services.Logger);
        var evt = pending.Event;
        if (pending.Ticket is { } ticket)
        {
            var authorisation = services.Authorisation.Value;
            var budget = TimeSpan.FromMilliseconds(authorisation.DeadlineMs);
            ticket.Deadline = pending.ReceivedAt + budget; // recorded with the decision (docs/authorisation.md)
            var remaining = budget - time.GetElapsedTime(started);
            var (answer, decision, standInCause) = await DecideAsync(pending, ticket, remaining, services);
            metrics.Decided(decision, standInCause, time.GetElapsedTime(started).TotalMilliseconds);
            if (ticket.Timings.Confirmed != 0)
            {
                var phases = ticket.Timings.Durations(time);
                var answering = time.GetElapsedTime(ticket.Timings.Confirmed).TotalMilliseconds;
                metrics.DecisionPhases(phases, answering);
                if (authorisation.ServerTiming)
                {
                    context.Response.Headers["Server-Timing"] = ServerTiming(phases, answering);
                }
            }

            return answer;
        }

        if (!pipeline.TryEnqueue(pending, out var completion))
        {
            Log.Unavailable(logger, Untrusted.Id(evt.Id), evt.Version, "partition full");
            metrics.Unavailable("partition_full");
            return Problems.Unavailable(context, "The service is at capacity; the event was not stored.", settings.RetryAfterSeconds);
        }

        ApplyResult result;
        try
        {
            result = await completion.WaitAsync(TimeSpan.FromMilliseconds(settings.CommitTimeoutMs), time);
        }
        catch (TimeoutException)
        {
            Log.Unavailable(logger, Untrusted.Id(evt.Id), evt.Version, "commit timed out");
            metrics.Unavailable("commit_timeout");
            return Problems.Unavailable(context, "The event could not be committed in time; resend it (a resend is harmless).", settings.RetryAfterSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failed(context, e, evt, services);
        }

        if ((result.Flags & ~EventFlags.Overdrawn) != EventFlags.None)
        {
            Log.Flagged(logger, Untrusted.Id(evt.Id), evt.Version, Untrusted.Text(evt.MaskedPan), result.Flags.ToString());
        }
        else if (result.Flags == EventFlags.Overdrawn)
        {
            // An account condition, not a data problem: the account API shows it; no warning per event.
            Log.Overdrawn(logger, Untrusted.Id(evt.Id), evt.Version, Untrusted.Id(evt.AccountNo));
        }

        if (result.Outcome == VersionOutcome.Conflict)
        {
            Log.Conflict(logger, Untrusted.Id(evt.Id), evt.Version);
        }

        var flags = result.Flags == EventFlags.None ? null : result.Flags.ToNames();
        return TypedResults.Ok(new IngestResponse(evt.Id, evt.Version, result.Outcome.ToWire(), result.CurrentVersion, flags));
    }

    /// <summary>Everything checked before an event may enter the pipeline, once PPS's credentials have
    /// been (<see cref="PpsAuthenticationHandler"/>): content type, size, signature, the ORIAN body
    /// (docs/edge.md), the path id. The request's buffer is returned to the pool here, before the
    /// (possibly long) wait for the commit.</summary>
    private static async Task<(PendingEvent? Pending, IResult? Problem)> ReadEventAsync(
        string id, Refusals edge, IngressAuthenticator authenticator, IngressOptions settings, PayloadKeys keys, TimeProvider time)
    {
        var context = edge.Context;
        var request = context.Request;
        if (request.ContentType is { Length: > 0 } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, edge.Reject(id, Problems.UnsupportedMediaType(contentType), 415, "unsupported_media_type", "Content-Type", contentType));
        }

        using var body = await RequestBody.ReadAsync(request, settings.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return (null, edge.Reject(id, Problems.TooLarge(settings.MaxBodyBytes), 413, "too_large", "$", "body too large"));
        }

        if (!authenticator.HasValidSignature(request, body.Span))
        {
            return (null, edge.Unauthenticated(Problems.Unauthorized("The webhook-signature header is missing, invalid or outside the 5-minute window."), "bad_signature"));
        }

        var evt = OrianParser.Parse(body.Span, out var error);
        if (evt is null)
        {
            return (null, edge.Reject(id, Problems.InvalidField(error!.Field, error.Message), 400, "invalid_field", error.Field, error.Message));
        }

        var pathId = PathId.Of(context, id);
        if (!Orian.Edge.TextRules.IsIdentifier(pathId))
        {
            var detail = $"The id in the path, percent-decoded, must be 1 to {Orian.Edge.EdgeLimits.MaxIdLength} characters of printable ASCII without spaces "
                + "(reserved characters such as '/', '?', '#' and '%' percent-encoded).";
            return (null, edge.Reject(id, Problems.InvalidField("id", detail), 400, "invalid_id", "id", detail));
        }

        if (!string.Equals(evt.Id, pathId, StringComparison.Ordinal))
        {
            var detail = $"The id in the path, percent-decoded, is '{pathId}'; the 'id' in the body is '{evt.Id}'. They must be equal.";
            return (null, edge.Reject(id, Problems.InvalidField("id", detail), 400, "id_mismatch", "id", detail));
        }

        return (new PendingEvent(evt, body.Span, time.GetUtcNow(), keys), null);
    }

    /// <summary>A notification whose event failed to commit: 503 only when a retry may work.</summary>
    private static IResult Failed(HttpContext context, Exception e, OrianEvent evt, Services services)
    {
        var (settings, metrics, logger) = (services.Options.Value, services.Metrics, services.Logger);
        var kind = services.Classifier.Classify(e);
        switch (kind)
        {
            case FailureClass.Transient:
                Log.Unavailable(logger, Untrusted.Id(evt.Id), evt.Version, e.GetType().Name);
                metrics.Unavailable("database");
                return Problems.Unavailable(context, "The ledger database is unavailable; the event was not stored.", settings.RetryAfterSeconds);
            case FailureClass.Refused:
                Log.EventRefused(logger, e, Untrusted.Id(evt.Id), evt.Version, kind.ToString(), StatusCodes.Status422UnprocessableEntity);
                return Problems.Refused(e.Message);
            default:
                Log.EventRefused(logger, e, Untrusted.Id(evt.Id), evt.Version, kind.ToString(), StatusCodes.Status500InternalServerError);
                return Problems.Fault(context);
        }
    }

    /// <summary>
    /// An authorisation request: the cardholder is waiting, so the answer is always a decision: the
    /// committed one if it won the answer before the deadline and was then confirmed; otherwise the
    /// stand-in. Nothing is written for a stand-in: a decision committed for the request anyway stays
    /// unconfirmed, and the reconciler revokes it from the database alone, whatever crashes when
    /// (docs/authorisation.md).
    /// </summary>
    private static async Task<(IResult Answer, Decision Decision, string? StandInCause)> DecideAsync(
        PendingEvent pending, DecisionTicket ticket, TimeSpan remaining, Services services)
    {
        var (pipeline, policy, time, logger) = (services.Pipeline, services.Policy, services.Time, services.Logger);
        var evt = pending.Event;
        if (!pipeline.TryEnqueue(pending, out var completion))
        {
            Log.StandIn(logger, Untrusted.Id(evt.Id), evt.Version, "partition full; nothing stored");
            var atCapacity = policy.StandIn("the service was at capacity");
            return (AuthorisationAnswer.For(pending, atCapacity, null), atCapacity, "capacity");
        }

        string why, cause;
        try
        {
            var result = await completion.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
            return Committed(pending, result, policy);
        }
        catch (TimeoutException) when (ticket.TryTimeOut())
        {
            why = "the deadline passed before the decision was committed";
            cause = "deadline";
        }
        catch (TimeoutException)
        {
            // The worker committed in the instant the deadline passed, and won: the answer is its
            // decision once confirmed (or the stand-in, if that fails).
            try
            {
                return Committed(pending, await completion, policy);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                why = $"the decision could not be confirmed ({e.GetType().Name})";
                cause = "failure";
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The batch failed, or its decision could not be confirmed (the worker never completes a
            // failed item's ticket, so this claims the answer). A commit in doubt may have landed:
            // the reconciler is asked to revoke it now rather than at its next scan.
            ticket.TryTimeOut();
            why = $"the ledger database failed ({e.GetType().Name})";
            cause = "failure";
            services.Reconciler.Revoke([new DecisionKey(evt.Id, evt.Version)]);
        }

        var standIn = policy.StandIn(why);
        Log.StandIn(logger, Untrusted.Id(evt.Id), evt.Version, why);
        return (AuthorisationAnswer.For(pending, standIn, null), standIn, cause);
    }

    /// <summary>A <c>Server-Timing</c> value: each phase of the decision, then the answer's own time.</summary>
    private static string ServerTiming(double[] phases, double answering)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < phases.Length; i++)
        {
            text.Append(DecisionTimings.Phases[i]).Append(";dur=").Append(phases[i].ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).Append(", ");
        }

        return text.Append("answer;dur=").Append(answering.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).ToString();
    }

    private static (IResult, Decision, string?) Committed(PendingEvent pending, ApplyResult result, AuthorisationPolicy policy)
    {
        // A version that was not applied (a duplicate, say) carries the decision stored with it.
        var decision = result.Decision ?? policy.StandIn("no decision was recorded");
        var cause = result.StandInCause ?? (result.Decision is null ? "no_decision" : null);
        return (AuthorisationAnswer.For(pending, decision, result.Outcome.ToWire()), decision, cause);
    }

    /// <summary>Where a refused request is counted and logged: a 4xx per request at Information,
    /// except credentials, which <see cref="AuthFailures"/> logs at most once per interval per source.</summary>
    private readonly record struct Refusals(HttpContext Context, OrianMetrics Metrics, AuthFailures AuthFailures, ILogger Logger)
    {
        public IResult Reject(string id, IResult problem, int status, string reason, string field, string detail)
        {
            Metrics.Rejected(reason, status);
            Log.Rejected(Logger, Untrusted.Text(id), status, field, Untrusted.Text(detail));
            return problem;
        }

        public IResult Unauthenticated(IResult problem, string reason)
        {
            Metrics.Rejected(reason, StatusCodes.Status401Unauthorized);
            AuthFailures.Record(Context, "ingress", reason);
            return problem;
        }
    }
}
