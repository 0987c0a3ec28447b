using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;
using Orian.Service.Endpoints;

namespace Orian.Service.Security;

/// <summary>
/// The ingress path's authentication scheme: PPS's HTTP Basic credentials (any configured pair, compared
/// in constant time by <see cref="IngressAuthenticator"/>) and, with <c>Orian:Ingress:RequireClientCertificate</c>,
/// a TLS client certificate (Kestrel has already refused one that does not chain to the configured
/// authority). Only the ingress route's policy names it. The optional Standard Webhooks signature is
/// not checked here: it covers the body, which the endpoint reads once and checks then.
/// A challenge answers 401 with a problem body (and <c>WWW-Authenticate: Basic</c> for credentials),
/// counted as a rejection, as an answered request, and through <see cref="AuthFailures"/>, which spends
/// the source's guess budget and logs. The base class's own lines (one or two per refused request, in
/// the handler's category) are not written: a scan must cost one line a minute, not one a request.
/// </summary>
internal sealed class PpsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, System.Text.Encodings.Web.UrlEncoder encoder,
    IngressAuthenticator authenticator, IOptions<IngressOptions> ingress, AuthFailures failures, OrianMetrics metrics, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, encoder)
{
    public const string Name = "orian-pps";

    /// <summary>The policy the ingress route requires: a request this scheme authenticated.</summary>
    public const string Policy = "pps";

    /// <summary>The one principal every authenticated PPS request carries (it holds no per-request
    /// claim, so it is built once; nothing adds to it).</summary>
    private static readonly ClaimsPrincipal Pps = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "pps")], Name));

    // When this request's authentication began (a handler serves one request): a 401's duration, as the
    // endpoint records every other answer's.
    private long _started;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        _started = time.GetTimestamp();
        if (ingress.Value.RequireClientCertificate && Context.Connection.ClientCertificate is null)
        {
            return Task.FromResult(AuthenticateResult.Fail(new Refusal("no_client_certificate", "This endpoint needs a TLS client certificate issued by the configured authority.")));
        }

        return Task.FromResult(authenticator.HasValidCredentials(Request)
            ? AuthenticateResult.Success(new AuthenticationTicket(Pps, Name))
            : AuthenticateResult.Fail(new Refusal("unauthorized", "Send the PPS credentials with HTTP Basic authentication.")));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The result of this request's authentication (computed once, then remembered by the base class).
        var refusal = (await HandleAuthenticateOnceSafeAsync()).Failure as Refusal
            ?? new Refusal("unauthorized", "Send the PPS credentials with HTTP Basic authentication.");
        if (refusal.Reason == "unauthorized")
        {
            Response.Headers.WWWAuthenticate = "Basic realm=\"orian\", charset=\"UTF-8\"";
        }

        metrics.Rejected(refusal.Reason, StatusCodes.Status401Unauthorized);
        failures.Record(Context, "ingress", refusal.Reason);
        await Problems.Unauthorized(refusal.Message).ExecuteAsync(Context);
        metrics.Answered("notification", StatusCodes.Status401Unauthorized, time.GetElapsedTime(_started).TotalMilliseconds);
    }

    /// <summary>Why a request was not authenticated: the reason counted and logged, and the problem's detail.</summary>
    private sealed class Refusal(string reason, string message) : Exception(message)
    {
        public string Reason { get; } = reason;
    }
}

internal static class PpsAuthenticationExtensions
{
    /// <summary>The PPS scheme and the ingress route's policy (no default scheme: see
    /// <see cref="OperatorAuthExtensions.AddOperatorAuthentication"/>).</summary>
    public static IServiceCollection AddPpsAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, PpsAuthenticationHandler>(PpsAuthenticationHandler.Name, null);
        services.AddAuthorization(options => options.AddPolicy(PpsAuthenticationHandler.Policy, policy => policy
            .AddAuthenticationSchemes(PpsAuthenticationHandler.Name)
            .RequireAuthenticatedUser()));
        return services;
    }
}
