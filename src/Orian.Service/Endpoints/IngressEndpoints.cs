using Microsoft.Extensions.Options;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Ledger;
using Orian.Service.Configuration;
using Orian.Service.Pipeline;
using Orian.Service.Security;
using Orian.Wire;

namespace Orian.Service.Endpoints;

/// <summary><c>PUT /v2/transactions/{id}</c>: where PPS delivers ORIAN transactions. A 200 is sent
/// only after the event's batch has committed; anything else leaves no trace.</summary>
internal static class IngressEndpoints
{
    public static void MapIngress(this IEndpointRouteBuilder app) =>
        app.MapPut("/v2/transactions/{id}", PutTransactionAsync).WithName("PutTransaction");

    private static async Task<IResult> PutTransactionAsync(
        string id,
        HttpContext context,
        IngressAuthenticator authenticator,
        IngestPipeline pipeline,
        IOptions<IngressOptions> options,
        IOptions<AuthorisationOptions> authorisation,
        AuthorisationPolicy policy,
        TimeProvider time,
        ILogger<IngestPipeline> logger)
    {
        var started = time.GetTimestamp();
        var settings = options.Value;
        var request = context.Request;
        if (!authenticator.HasValidCredentials(request))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"orian\", charset=\"UTF-8\"";
            return Reject(logger, id, Problems.Unauthorized("Send the PPS credentials with HTTP Basic authentication."), 401, "Authorization", "bad credentials");
        }

        if (request.ContentType is { Length: > 0 } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return Reject(logger, id, Problems.UnsupportedMediaType(contentType), 415, "Content-Type", contentType);
        }

        using var body = await RequestBody.ReadAsync(request, settings.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return Reject(logger, id, Problems.TooLarge(settings.MaxBodyBytes), 413, "$", "body too large");
        }

        if (!authenticator.HasValidSignature(request, body.Span))
        {
            return Reject(logger, id, Problems.Unauthorized("The webhook-signature header is missing, invalid or outside the 5-minute window."), 401, "webhook-signature", "bad signature");
        }

        var evt = OrianParser.Parse(body.Span, out var error);
        if (evt is null)
        {
            return Reject(logger, id, Problems.InvalidField(error!.Field, error.Message), 400, error.Field, error.Message);
        }

        if (!string.Equals(evt.Id, id, StringComparison.Ordinal))
        {
            const string detail = "The 'id' in the body must equal the id in the path.";
            return Reject(logger, id, Problems.InvalidField("id", detail), 400, "id", detail);
        }

        var pending = new PendingEvent(evt, body.Span, time.GetUtcNow());
        if (pending.Ticket is { } ticket)
        {
            var remaining = TimeSpan.FromMilliseconds(authorisation.Value.DeadlineMs) - time.GetElapsedTime(started);
            return await DecideAsync(pending, ticket, remaining, pipeline, policy, time, logger);
        }

        if (!pipeline.TryEnqueue(pending, out var completion))
        {
            Log.Unavailable(logger, evt.Id, evt.Version, "partition full");
            return Problems.Unavailable(context, "The service is at capacity; the event was not stored.", settings.RetryAfterSeconds);
        }

        ApplyResult result;
        try
        {
            result = await completion.WaitAsync(TimeSpan.FromMilliseconds(settings.CommitTimeoutMs), time);
        }
        catch (TimeoutException)
        {
            Log.Unavailable(logger, evt.Id, evt.Version, "commit timed out");
            return Problems.Unavailable(context, "The event could not be committed in time; resend it (a resend is harmless).", settings.RetryAfterSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Unavailable(logger, evt.Id, evt.Version, e.GetType().Name);
            return Problems.Unavailable(context, "The ledger database is unavailable; the event was not stored.", settings.RetryAfterSeconds);
        }

        if ((result.Flags & ~EventFlags.Overdrawn) != EventFlags.None)
        {
            Log.Flagged(logger, evt.Id, evt.Version, evt.MaskedPan, result.Flags.ToString());
        }
        else if (result.Flags == EventFlags.Overdrawn)
        {
            // An account condition, not a data problem: the account API shows it; no warning per event.
            Log.Overdrawn(logger, evt.Id, evt.Version, evt.AccountNo);
        }

        if (result.Outcome == VersionOutcome.Conflict)
        {
            Log.Conflict(logger, evt.Id, evt.Version);
        }

        var flags = result.Flags == EventFlags.None ? null : result.Flags.ToNames();
        return TypedResults.Ok(new IngestResponse(evt.Id, evt.Version, result.Outcome.ToWire(), result.CurrentVersion, flags));
    }

    /// <summary>
    /// An authorisation request: the cardholder is waiting, so the answer is always a decision. The
    /// committed one if it is in before the deadline; otherwise the stand-in, which holds nothing
    /// (the worker revokes a decision that commits after the request gave up).
    /// </summary>
    private static async Task<IResult> DecideAsync(
        PendingEvent pending, DecisionTicket ticket, TimeSpan remaining, IngestPipeline pipeline, AuthorisationPolicy policy, TimeProvider time, ILogger logger)
    {
        var evt = pending.Event;
        if (!pipeline.TryEnqueue(pending, out var completion))
        {
            Log.StandIn(logger, evt.Id, evt.Version, "partition full; nothing stored");
            return AuthorisationAnswer.For(pending, policy.StandIn("the service was at capacity"), null);
        }

        try
        {
            var result = await completion.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
            return AuthorisationAnswer.For(pending, result.Decision ?? policy.StandIn("no decision was recorded"), result.Outcome.ToWire());
        }
        catch (TimeoutException) when (ticket.TryTimeOut())
        {
            Log.StandIn(logger, evt.Id, evt.Version, "deadline passed");
            return AuthorisationAnswer.For(pending, policy.StandIn("the deadline passed before the decision was committed"), null);
        }
        catch (TimeoutException)
        {
            // The worker committed in the instant the deadline passed, and won: its decision stands.
            var result = await completion;
            return AuthorisationAnswer.For(pending, result.Decision ?? policy.StandIn("no decision was recorded"), result.Outcome.ToWire());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ticket.TryTimeOut();
            Log.StandIn(logger, evt.Id, evt.Version, $"database error {e.GetType().Name}; nothing stored");
            return AuthorisationAnswer.For(pending, policy.StandIn("the ledger database was unavailable"), null);
        }
    }

    private static IResult Reject(ILogger logger, string id, IResult problem, int status, string field, string reason)
    {
        Log.Rejected(logger, id, status, field, reason);
        return problem;
    }
}
