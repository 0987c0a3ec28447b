using System.ComponentModel.DataAnnotations;
using Orian.Configuration;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Orchestrator</c>: how instruction status updates reach the Payments
/// Orchestrator. Without a <see cref="BaseUrl"/> updates are still queued (and tenants still get
/// <c>instruction.updated</c> webhooks), but none is sent until an instance is configured.</summary>
public sealed class OrchestratorOptions : IValidatableObject, IDevelopmentAware
{
    public const string Section = "Orian:Orchestrator";

    private bool _development;

    bool IDevelopmentAware.Development { get => _development; set => _development = value; }

    /// <summary>The Orchestrator API, e.g. <c>https://sandbox-api.imbursepayments.com</c>: https outside
    /// Development (a bearer token and signed requests travel on it).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>A PEM file of the authorities the Orchestrator's server certificate must chain to, for an
    /// Orchestrator behind a private authority. When set, only these are trusted for it (not the machine's
    /// store); unset, the machine's trusted roots.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Internal networks (comma-separated CIDRs) the Orchestrator may be reached in, when it is
    /// deployed beside Orian. Its own list: tenant webhooks never get these networks, and the Orchestrator
    /// never gets the webhooks' (<c>Orian:Outbox:AllowedPrivateNetworks</c>).</summary>
    public string AllowedPrivateNetworks { get; set; } = "";

    /// <summary>The tenant API key's public part (sent in the HMAC header).</summary>
    public string? PublicKey { get; set; }

    /// <summary>The tenant API key's private part, Base64 as the Orchestrator issues it (the HMAC key).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Sent as <c>x-account-id</c>: a UUID.</summary>
    public string? AccountId { get; set; }

    /// <summary>Sent as <c>x-tenant-id</c>: a UUID.</summary>
    public string? TenantId { get; set; }

    /// <summary>The status update call, relative to <see cref="BaseUrl"/>, with <c>{orderRef}</c> and
    /// <c>{instructionRef}</c> placeholders.</summary>
    public string UpdatePath { get; set; } = "/v2/order-management/{orderRef}/instruction/{instructionRef}/status";

    /// <summary>The HTTP method of the update call. Default PUT.</summary>
    [RegularExpression("^(PUT|POST|PATCH)$", ErrorMessage = "Orian:Orchestrator:UpdateMethod must be PUT, POST or PATCH.")]
    public string UpdateMethod { get; set; } = "PUT";

    /// <summary>A bearer token is replaced this long before it expires. Default 60 s.</summary>
    [Range(0, 3600)]
    public int TokenRefreshSeconds { get; set; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(BaseUrl);

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (Delivery.Egress.From(AllowedPrivateNetworks).Invalid is { } invalid)
        {
            yield return new("Orian:Orchestrator:AllowedPrivateNetworks (env Orian__Orchestrator__AllowedPrivateNetworks) must be comma-separated CIDRs "
                + $"such as 10.1.0.0/16; '{invalid}' is not one.");
        }

        if (Security.Certificates.AuthoritiesProblem(CaCertificatePath, "Orian:Orchestrator:CaCertificatePath") is { } authorities)
        {
            yield return new(authorities);
        }

        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            yield return new("Orian:Orchestrator:BaseUrl must be an absolute http or https URL.");
        }
        else if (baseUrl.Scheme != "https" && !_development)
        {
            yield return new("Orian:Orchestrator:BaseUrl must be https outside Development: the bearer token and signed updates travel on it.");
        }

        if (string.IsNullOrWhiteSpace(PublicKey) || PublicKey.Contains(':', StringComparison.Ordinal))
        {
            yield return new("Orian:Orchestrator:PublicKey (env Orian__Orchestrator__PublicKey) is required with a BaseUrl, and cannot contain ':'.");
        }

        if (string.IsNullOrWhiteSpace(PrivateKey) || CardDataOptions.Decode(PrivateKey).Length == 0)
        {
            yield return new("Orian:Orchestrator:PrivateKey (env Orian__Orchestrator__PrivateKey) is required with a BaseUrl: the Base64 private key.");
        }

        foreach (var (setting, value) in new[] { ("AccountId", AccountId), ("TenantId", TenantId) })
        {
            if (!Guid.TryParseExact(value, "D", out _))
            {
                yield return new($"Orian:Orchestrator:{setting} must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).");
            }
        }

        if (!UpdatePath.StartsWith('/') || !UpdatePath.Contains("{orderRef}", StringComparison.Ordinal)
            || !UpdatePath.Contains("{instructionRef}", StringComparison.Ordinal))
        {
            yield return new("Orian:Orchestrator:UpdatePath must start with '/' and contain {orderRef} and {instructionRef}.");
        }
    }
}
