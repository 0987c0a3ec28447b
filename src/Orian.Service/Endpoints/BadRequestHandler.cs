using Microsoft.AspNetCore.Diagnostics;

namespace Orian.Service.Endpoints;

/// <summary>A request the framework could not bind (a query value that is not a number, say) is the
/// caller's mistake: answer its 4xx as a problem body, never 500. (In Development ASP.NET throws
/// these instead of answering them itself.)</summary>
internal sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "The request is not valid.",
                Detail = bad.Message,
                Type = "urn:orian:problem:bad-request",
            },
        });
    }
}
