using Microsoft.AspNetCore.Http.HttpResults;

namespace Orian.Service.Endpoints;

/// <summary>The RFC 7807 problem bodies the service answers with. Each has a stable <c>type</c>
/// so clients can branch on it, and 400s name the offending <c>field</c>.</summary>
internal static class Problems
{
    public static ProblemHttpResult InvalidField(string field, string detail) => TypedResults.Problem(
        detail: detail,
        statusCode: StatusCodes.Status400BadRequest,
        title: "The request is not valid.",
        type: "urn:orian:problem:invalid-field",
        extensions: new Dictionary<string, object?>
        {
            ["field"] = field,
            ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
        });

    public static ProblemHttpResult Unauthorized(string detail) => TypedResults.Problem(
        detail: detail,
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Authentication failed.",
        type: "urn:orian:problem:unauthorized");

    public static ProblemHttpResult Forbidden(string role, string? detail = null) => TypedResults.Problem(
        detail: detail ?? $"This key does not hold the role this needs: {role}.",
        statusCode: StatusCodes.Status403Forbidden,
        title: "Not allowed.",
        type: "urn:orian:problem:forbidden",
        extensions: new Dictionary<string, object?> { ["required_role"] = role });

    public static ProblemHttpResult TooLarge(int maxBytes) => TypedResults.Problem(
        detail: $"The body is larger than the limit of {maxBytes} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The body is too large.",
        type: "urn:orian:problem:too-large");

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) => TypedResults.Problem(
        detail: $"Content-Type '{contentType}' is not JSON; send application/json.",
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type.",
        type: "urn:orian:problem:unsupported-media-type");

    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(
        detail: $"{what} was not found.",
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found.",
        type: "urn:orian:problem:not-found");

    /// <summary>429: this source has made too many failed attempts; retry after <c>Retry-After</c>.</summary>
    public static ProblemHttpResult TooManyRequests(string detail) => TypedResults.Problem(
        detail: detail,
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many requests.",
        type: "urn:orian:problem:too-many-requests");

    /// <summary>409: the request contradicts what is stored; nothing was changed.</summary>
    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(
        detail: detail,
        statusCode: StatusCodes.Status409Conflict,
        title: "Conflict.",
        type: "urn:orian:problem:conflict");

    /// <summary>422: the request is well formed but can never be applied; nothing was stored.</summary>
    public static ProblemHttpResult Refused(string detail) => TypedResults.Problem(
        detail: detail,
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The ledger cannot apply this request.",
        type: "urn:orian:problem:ledger-refused");

    /// <summary>500 for this request alone, with the trace id an operator finds the log line by.</summary>
    public static ProblemHttpResult Fault(HttpContext context) => TypedResults.Problem(
        detail: "The request failed in the service; nothing was stored. Quote the trace id to an operator.",
        statusCode: StatusCodes.Status500InternalServerError,
        title: "Internal error.",
        type: "urn:orian:problem:internal",
        extensions: new Dictionary<string, object?> { ["traceId"] = TraceId(context) });

    public static string TraceId(HttpContext context) => System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier;

    /// <summary>503 with <c>Retry-After</c>: nothing was acknowledged, the sender should try again.</summary>
    public static ProblemHttpResult Unavailable(HttpContext context, string detail, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Not stored; try again.",
            type: "urn:orian:problem:unavailable");
    }
}
