using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;

namespace Orian.Service.Endpoints;

/// <summary>
/// The last stop for an exception an endpoint did not answer itself (the operator API's reads and
/// writes): classified once by <see cref="FailureClassifier"/>, answered as a problem body. A
/// database outage is 503 with <c>Retry-After</c>; a value the database refuses or a fault of ours
/// is a 500 for that request with its trace id, never a 503 a client would retry for ever.
/// </summary>
internal sealed class FailureHandler(
    FailureClassifier classifier, IOptions<IngressOptions> options, IProblemDetailsService problems, ILogger<FailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client hung up: there is no one to answer, and nothing failed
        }

        var kind = classifier.Classify(exception);
        var (status, title, type, detail) = kind switch
        {
            FailureClass.Transient => (StatusCodes.Status503ServiceUnavailable, "The ledger database is unavailable.", "urn:orian:problem:unavailable", "Try again shortly."),
            FailureClass.Refused => (StatusCodes.Status422UnprocessableEntity, "The ledger cannot apply this request.", "urn:orian:problem:ledger-refused", exception.Message),
            _ => (StatusCodes.Status500InternalServerError, "Internal error.", "urn:orian:problem:internal", "The request failed in the service. Quote the trace id to an operator."),
        };
        Log.RequestFailed(logger, exception, httpContext.Request.Method, Untrusted.Text(httpContext.Request.Path.Value), kind.ToString(), status);
        httpContext.Response.StatusCode = status;
        if (kind == FailureClass.Transient)
        {
            httpContext.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = type,
                Extensions = { ["traceId"] = Problems.TraceId(httpContext) },
            },
        });
    }
}
