using Microsoft.Extensions.Options;
using Orian.Service.Configuration;
using Orian.Service.Endpoints;

namespace Orian.Service.Security;

/// <summary>Guards the operator API: the request must carry the configured <c>X-Api-Key</c>.</summary>
internal sealed class ApiKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[Header].ToString();
        if (presented.Length == 0 || !SecretComparer.Matches(presented, options.Value.ApiKey))
        {
            return ValueTask.FromResult<object?>(Problems.Unauthorized($"Send the operator API key in the {Header} header."));
        }

        return next(context);
    }
}
