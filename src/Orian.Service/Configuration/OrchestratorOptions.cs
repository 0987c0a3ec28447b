using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Orchestrator</c>: how instruction status updates reach the Payments
/// Orchestrator. Without a <see cref="BaseUrl"/> updates are still queued (and tenants still get
/// <c>instruction.updated</c> webhooks), but none is sent until an instance is configured.</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orian:Orchestrator";

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
}
