using Orian.Edge;

namespace Orian.Service.Endpoints;

/// <summary>
/// The identifiers in operator paths (<c>{accountNo}</c>, <c>{id}</c>, <c>{transactionId}</c>),
/// percent-decoded in full (<see cref="PathId"/>), so <c>%00</c> or <c>%E2%80%AE</c> arrive as
/// characters: refused here with a 400 naming the segment, under the same rule as identifiers in
/// ORIAN bodies, before any reaches a query or a log line.
/// </summary>
internal sealed class RouteIdFilter : IEndpointFilter
{
    private static readonly string[] Names = ["accountNo", "id", "transactionId"];

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var values = context.HttpContext.Request.RouteValues;
        foreach (var name in Names)
        {
            if (values.TryGetValue(name, out var value) && value is string text && !TextRules.IsIdentifier(PathId.Of(context.HttpContext, text)))
            {
                return ValueTask.FromResult<object?>(Problems.InvalidField(name,
                    $"'{name}' must be 1 to {EdgeLimits.MaxIdLength} characters of printable ASCII without spaces."));
            }
        }

        return next(context);
    }
}
