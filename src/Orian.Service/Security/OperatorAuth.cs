using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
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

    /// <summary>The request's trace id (the one a 500 would show).</summary>
    public string? TraceId { get; init; }

    /// <summary>The operator the request was authenticated as (<see cref="OperatorAuthenticationHandler"/>),
    /// with the request's trace id; only on a route that needs a role.</summary>
    public static OperatorIdentity Of(HttpContext context)
    {
        var user = context.User;
        var id = user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value
            ?? throw new InvalidOperationException("No operator on this request: the route needs a role (Needs).");
        return new OperatorIdentity(id, user.Identity?.Name ?? id, [.. user.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value)])
        {
            TraceId = Problems.TraceId(context),
        };
    }
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

/// <summary>The role an operator endpoint needs, or else <paramref name="Alternative"/> (endpoint
/// metadata beside the route's policy, which <see cref="OperatorAuthExtensions.Needs"/> sets; the 403
/// and the API document name it). A route without it has no policy: a test of every mapped route fails.</summary>
internal sealed record RequiredRole(string Role, string? Alternative = null);

/// <summary>
/// The operator API's authentication scheme: an operator key (<c>X-Api-Key</c>) or a bearer token,
/// checked by <see cref="OperatorAuthenticator"/> on every request to a route that needs a role (no
/// default scheme: the ingress path never runs it). The principal carries the key's id, name and
/// roles as claims. A challenge answers 401 and a forbidden request 403 naming the role the route
/// needs, both as problem bodies, and both counted and logged through <see cref="AuthFailures"/>
/// (a 401 also spends the source's guess budget), which logs them at most once per interval per source:
/// the base class's own line per challenge (in this handler's category, at Information) is not written.
/// </summary>
internal sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, System.Text.Encodings.Web.UrlEncoder encoder,
    OperatorAuthenticator authenticator, AuthFailures failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, encoder)
{
    public const string Name = "orian-operator";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = await authenticator.AuthenticateAsync(Request, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.NoResult(); // the challenge answers 401
        }

        var claims = new List<System.Security.Claims.Claim>
        {
            new(System.Security.Claims.ClaimTypes.NameIdentifier, identity.KeyId),
            new(System.Security.Claims.ClaimTypes.Name, identity.Name),
        };
        claims.AddRange(identity.Roles.Select(r => new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, r)));
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(claims, Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        failures.Record(Context, "operator", "unauthorized");
        await Problems.Unauthorized(
            $"Send a valid operator key as {OperatorAuthenticator.ApiKeyHeader}, or a bearer token from POST /v1/identity/hmac; this one is unknown, revoked or expired.")
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        failures.Record(Context, "operator", "forbidden", guess: false);
        var required = Context.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>() ?? new RequiredRole(OperatorRoles.Admin);
        await Problems.Forbidden(required.Role).ExecuteAsync(Context);
    }
}

internal static class OperatorAuthExtensions
{
    /// <summary>The operator API's route group: rate-limited by failures, path ids checked; each route
    /// names its role with <see cref="Needs"/>.</summary>
    public static RouteGroupBuilder MapOperatorGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireRateLimiting(AuthThrottle.Operator).AddEndpointFilter<RouteIdFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>The role this endpoint needs (or else <paramref name="alternative"/>): its authorization
    /// policy, and the metadata the 403 and the API document name.</summary>
    public static RouteHandlerBuilder Needs(this RouteHandlerBuilder builder, string role, string? alternative = null) =>
        builder.RequireAuthorization(PolicyName(role, alternative)).WithMetadata(new RequiredRole(role, alternative));

    /// <summary>The name of the policy that admits <paramref name="role"/> (or <paramref name="alternative"/>).</summary>
    public static string PolicyName(string role, string? alternative = null) => alternative is null ? role : $"{role}|{alternative}";

    /// <summary>The policies operator routes may name: each grantable role, the bootstrap role, and
    /// <c>orian-admin</c> or <c>orian-bootstrap</c> (creating keys); each authenticates with the operator
    /// scheme and admits a principal whose roles satisfy its role (a write role implies its read role,
    /// <c>orian-admin</c> every role).</summary>
    public static IReadOnlyList<(string Role, string? Alternative)> Policies { get; } =
        [.. OperatorRoles.All.Select(r => (r, (string?)null)), (OperatorRoles.Bootstrap, null), (OperatorRoles.Admin, OperatorRoles.Bootstrap)];

    public static IServiceCollection AddOperatorAuthentication(this IServiceCollection services)
    {
        // No default scheme (ASP.NET Core would otherwise make a lone registered scheme the default; the
        // switch is read when the options are built, so the order of registration does not matter): a
        // request authenticates only with the scheme its route's policy names, the operator scheme on
        // operator routes, PPS's on the ingress route (PpsAuthenticationHandler), nothing elsewhere.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.Name, null);
        services.AddAuthorization(options =>
        {
            foreach (var (role, alternative) in Policies)
            {
                options.AddPolicy(PolicyName(role, alternative), policy => policy
                    .AddAuthenticationSchemes(OperatorAuthenticationHandler.Name)
                    .RequireAuthenticatedUser()
                    .RequireAssertion(c => Admits(c.User, role) || (alternative is not null && Admits(c.User, alternative))));
            }
        });
        return services;
    }

    private static bool Admits(System.Security.Claims.ClaimsPrincipal user, string role) =>
        OperatorRoles.Satisfies(user.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value), role);
}
