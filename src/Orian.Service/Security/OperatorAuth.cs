using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orian.Security;
using Orian.Service.Configuration;
using Orian.Service.Endpoints;
using Orian.Storage;

namespace Orian.Service.Security;

/// <summary>Who is calling the operator API: an API key (or the bootstrap key of the configuration)
/// and its roles.</summary>
internal sealed record OperatorIdentity(string KeyId, string Name, IReadOnlyList<string> Roles)
{
    /// <summary>The key id and name the configured bootstrap key acts under (API key ids start <c>key_</c>).</summary>
    public const string BootstrapId = "bootstrap";

    public bool IsBootstrap => KeyId == BootstrapId;

    /// <summary>The audit context of a change this operator makes now, with the request's trace id
    /// (the one a 500 would show).</summary>
    public OperatorContext At(DateTimeOffset now) => new(KeyId, Name, now, TraceId);

    /// <summary>Set by <see cref="OperatorAuthFilter"/> from the request.</summary>
    public string? TraceId { get; init; }
}

/// <summary>
/// Authenticates operator requests, in this order: <c>Authorization: Bearer &lt;token&gt;</c> (a token
/// bought with the HMAC exchange, looked up by its hash), then <c>X-Api-Key: &lt;private key&gt;</c>
/// (looked up by its hash). The configured <c>Orian:Admin:ApiKey</c> is the bootstrap key: it holds
/// only <see cref="OperatorRoles.Bootstrap"/>, which creates named admin keys, acts under the key id
/// <c>bootstrap</c> in the audit trail, and is off with <c>Orian:Admin:BootstrapEnabled=false</c>. Keys
/// and tokens are read from the database on every request, so a revocation holds at once on every instance.
/// </summary>
internal sealed class OperatorAuthenticator(IApiKeyStore keys, IOptions<AdminOptions> admin, TimeProvider time)
{
    public const string ApiKeyHeader = "X-Api-Key";

    public async Task<OperatorIdentity?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            if (token.Length is 0 or > 200)
            {
                return null;
            }

            var key = await keys.FindByTokenAsync(Hash(token), now, cancellationToken);
            return await UseAsync(key, now, cancellationToken);
        }

        var presented = request.Headers[ApiKeyHeader].ToString();
        if (presented.Length is 0 or > 200)
        {
            return null;
        }

        if (admin.Value is { BootstrapEnabled: true, ApiKey: { Length: > 0 } bootstrap } && SecretComparer.Matches(presented, bootstrap))
        {
            return new OperatorIdentity(OperatorIdentity.BootstrapId, OperatorIdentity.BootstrapId, [OperatorRoles.Bootstrap]);
        }

        return await UseAsync(await keys.FindByHashAsync(Hash(presented), cancellationToken), now, cancellationToken);
    }

    private async Task<OperatorIdentity?> UseAsync(ApiKeyRow? key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (key is null || !key.IsActive(now))
        {
            return null;
        }

        if (key.NeedsTouch(now))
        {
            await keys.TouchAsync(key.Id, now, cancellationToken);
        }

        return new OperatorIdentity(key.Id, key.Name, key.RoleList);
    }

    /// <summary>Lower-case hex SHA-256: how private keys and tokens are looked up without being stored.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>The role an operator endpoint needs (endpoint metadata; an endpoint without one needs
/// <c>orian-admin</c>), or else <paramref name="Alternative"/>.</summary>
internal sealed record RequiredRole(string Role, string? Alternative = null);

/// <summary>Guards the operator API: 401 without a valid key or token, 403 naming the role when the
/// key lacks the endpoint's role. The identity is left in <c>HttpContext.Items</c> for the audit trail.</summary>
internal sealed class OperatorAuthFilter(OperatorAuthenticator authenticator, AuthFailures failures) : IEndpointFilter
{
    private const string ItemKey = "orian.operator";

    public static OperatorIdentity Identity(HttpContext context) => (OperatorIdentity)context.Items[ItemKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var identity = await authenticator.AuthenticateAsync(http.Request, http.RequestAborted);
        if (identity is null)
        {
            failures.Record(http, "operator", "unauthorized");
            return Problems.Unauthorized(
                $"Send a valid operator key as {OperatorAuthenticator.ApiKeyHeader}, or a bearer token from POST /v1/identity/hmac; this one is unknown, revoked or expired.");
        }

        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>() ?? new RequiredRole(OperatorRoles.Admin);
        if (!OperatorRoles.Satisfies(identity.Roles, required.Role) && (required.Alternative is null || !OperatorRoles.Satisfies(identity.Roles, required.Alternative)))
        {
            failures.Record(http, "operator", "forbidden", guess: false);
            return Problems.Forbidden(required.Role);
        }

        http.Items[ItemKey] = identity with { TraceId = Problems.TraceId(http) };
        return await next(context);
    }
}

internal static class OperatorAuthExtensions
{
    /// <summary>The operator API's route group: authenticated, path ids checked.</summary>
    public static RouteGroupBuilder MapOperatorGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireRateLimiting(AuthThrottle.Operator).AddEndpointFilter<OperatorAuthFilter>().AddEndpointFilter<RouteIdFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>The role this endpoint needs.</summary>
    public static RouteHandlerBuilder Needs(this RouteHandlerBuilder builder, string role, string? alternative = null) =>
        builder.WithMetadata(new RequiredRole(role, alternative));
}
