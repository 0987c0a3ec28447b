using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;

namespace Orian.Service.Endpoints;

/// <summary>
/// The last stop for an exception an endpoint did not answer itself (the operator API's reads and
/// writes): classified once by <see cref="FailureClassifier"/>, answered with the same problem
/// bodies the endpoints use (<see cref="Problems"/>). A database outage is 503 with
/// <c>Retry-After</c>; a value the database refuses or a fault of ours is a 500 for that request
/// with its trace id, never a 503 a client would retry for ever.
/// </summary>
internal sealed class FailureHandler(FailureClassifier classifier, IOptions<IngressOptions> options, ILogger<FailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client hung up: there is no one to answer, and nothing failed
        }

        var kind = classifier.Classify(exception);
        var answer = kind switch
        {
            FailureClass.Transient => Problems.Unavailable(httpContext, "The ledger database is unavailable; try again shortly.", options.Value.RetryAfterSeconds),
            FailureClass.Refused => Problems.Refused(exception.Message),
            _ => Problems.Fault(httpContext),
        };
        Log.RequestFailed(logger, exception, httpContext.Request.Method, Untrusted.Text(httpContext.Request.Path.Value), kind.ToString(),
            kind switch { FailureClass.Transient => 503, FailureClass.Refused => 422, _ => 500 });
        await answer.ExecuteAsync(httpContext);
        return true;
    }
}
