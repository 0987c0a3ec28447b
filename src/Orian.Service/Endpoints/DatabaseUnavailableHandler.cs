using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Orian.Service.Configuration;

namespace Orian.Service.Endpoints;

/// <summary>A read that fails because the database is down is the database's outage, not a bug of
/// ours: answer 503 with <c>Retry-After</c> and a problem body, not 500.</summary>
internal sealed class DatabaseUnavailableHandler(IOptions<IngressOptions> options, IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (DbException or TimeoutException or System.Net.Sockets.SocketException))
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The ledger database is unavailable.",
                Detail = "Try again shortly.",
                Type = "urn:orian:problem:unavailable",
            },
        });
    }
}
