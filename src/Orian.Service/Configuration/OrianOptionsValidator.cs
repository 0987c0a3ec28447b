using Microsoft.Extensions.Options;
using Orian.Ledger;
using Orian.Security;

namespace Orian.Service.Configuration;

/// <summary>Secrets must be configured outside Development; a bad secret stops start-up with a
/// message that says which setting to fix.</summary>
internal sealed class OrianOptionsValidator(IHostEnvironment environment)
    : IValidateOptions<IngressOptions>, IValidateOptions<AdminOptions>, IValidateOptions<OrchestratorOptions>, IValidateOptions<CardDataOptions>
{
    public ValidateOptionsResult Validate(string? name, IngressOptions options)
    {
        var failures = new List<string>();
        if (!environment.IsDevelopment())
        {
            if (string.IsNullOrWhiteSpace(options.Username))
            {
                failures.Add("Orian:Ingress:Username (env Orian__Ingress__Username) is required outside Development.");
            }

            if (string.IsNullOrWhiteSpace(options.Password))
            {
                failures.Add("Orian:Ingress:Password (env Orian__Ingress__Password) is required outside Development.");
            }
        }

        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add("Orian:Ingress:Username and Orian:Ingress:Password must be set together.");
        }

        if (!string.IsNullOrEmpty(options.Username) && options.Username.Contains(':', StringComparison.Ordinal))
        {
            failures.Add("Orian:Ingress:Username must not contain ':' (HTTP Basic cannot carry it).");
        }

        if (!string.IsNullOrEmpty(options.Password) && options.Password.Length < IngressOptions.MinPasswordLength)
        {
            failures.Add($"Orian:Ingress:Password (env Orian__Ingress__Password) must be at least {IngressOptions.MinPasswordLength} characters.");
        }

        for (var i = 0; i < options.Credentials.Count; i++)
        {
            var c = options.Credentials[i];
            if (string.IsNullOrEmpty(c.Username) || string.IsNullOrEmpty(c.Password) || c.Username.Contains(':', StringComparison.Ordinal))
            {
                failures.Add($"Orian:Ingress:Credentials:{i} needs a Username (without ':') and a Password.");
            }
            else if (c.Password.Length < IngressOptions.MinPasswordLength)
            {
                failures.Add($"Orian:Ingress:Credentials:{i}:Password must be at least {IngressOptions.MinPasswordLength} characters.");
            }
        }

        foreach (var secret in options.AllSigningSecrets())
        {
            try
            {
                if (StandardWebhookSignature.KeyFromSecret(secret).Length < 16)
                {
                    failures.Add("Orian:Ingress:SigningSecret(s) must decode to at least 16 bytes.");
                }
            }
            catch (FormatException e)
            {
                failures.Add($"Orian:Ingress:SigningSecret(s): {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (!options.BootstrapEnabled)
        {
            return ValidateOptionsResult.Success; // the key, if any is still configured, is never compared
        }

        if (!environment.IsDevelopment() && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return ValidateOptionsResult.Fail(
                "Orian:Admin:ApiKey (env Orian__Admin__ApiKey) is required outside Development while the bootstrap key is enabled (Orian__Admin__BootstrapEnabled=false turns it off).");
        }

        if (!string.IsNullOrEmpty(options.ApiKey) && options.ApiKey.Length < 16)
        {
            return ValidateOptionsResult.Fail("Orian:Admin:ApiKey must be at least 16 characters.");
        }

        return ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, OrchestratorOptions options)
    {
        var failures = new List<string>();
        if (Orian.Service.Delivery.Egress.From(options.AllowedPrivateNetworks).Invalid is { } invalid)
        {
            failures.Add($"Orian:Orchestrator:AllowedPrivateNetworks (env Orian__Orchestrator__AllowedPrivateNetworks) must be comma-separated CIDRs such as 10.1.0.0/16; '{invalid}' is not one.");
        }

        if (Orian.Service.Security.Certificates.AuthoritiesProblem(options.CaCertificatePath, "Orian:Orchestrator:CaCertificatePath") is { } authorities)
        {
            failures.Add(authorities);
        }

        if (!options.Enabled)
        {
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            failures.Add("Orian:Orchestrator:BaseUrl must be an absolute http or https URL.");
        }
        else if (baseUrl.Scheme != "https" && !environment.IsDevelopment())
        {
            failures.Add("Orian:Orchestrator:BaseUrl must be https outside Development: the bearer token and signed updates travel on it.");
        }

        if (string.IsNullOrWhiteSpace(options.PublicKey) || options.PublicKey.Contains(':', StringComparison.Ordinal))
        {
            failures.Add("Orian:Orchestrator:PublicKey (env Orian__Orchestrator__PublicKey) is required with a BaseUrl, and cannot contain ':'.");
        }

        if (string.IsNullOrWhiteSpace(options.PrivateKey) || !IsBase64(options.PrivateKey))
        {
            failures.Add("Orian:Orchestrator:PrivateKey (env Orian__Orchestrator__PrivateKey) is required with a BaseUrl: the Base64 private key.");
        }

        foreach (var (setting, value) in new[] { ("AccountId", options.AccountId), ("TenantId", options.TenantId) })
        {
            if (!Guid.TryParseExact(value, "D", out _))
            {
                failures.Add($"Orian:Orchestrator:{setting} must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).");
            }
        }

        if (!options.UpdatePath.StartsWith('/') || !options.UpdatePath.Contains("{orderRef}", StringComparison.Ordinal)
            || !options.UpdatePath.Contains("{instructionRef}", StringComparison.Ordinal))
        {
            failures.Add("Orian:Orchestrator:UpdatePath must start with '/' and contain {orderRef} and {instructionRef}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, CardDataOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.HashKey))
        {
            if (!environment.IsDevelopment())
            {
                failures.Add("Orian:CardData:HashKey (env Orian__CardData__HashKey) is required outside Development: "
                    + $"a Base64 key of at least {PayloadKeys.MinKeyBytes} bytes (openssl rand -base64 32).");
            }
        }
        else if (PayloadKeys.Problem(options.HashKeyId, CardDataOptions.Decode(options.HashKey)) is { } problem)
        {
            failures.Add($"Orian:CardData:HashKeyId / HashKey: {problem}");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal) { options.HashKeyId };
        for (var i = 0; i < options.PreviousHashKeys.Count; i++)
        {
            var previous = options.PreviousHashKeys[i];
            if (PayloadKeys.Problem(previous.KeyId, CardDataOptions.Decode(previous.Key)) is { } problem)
            {
                failures.Add($"Orian:CardData:PreviousHashKeys:{i}: {problem}");
            }
            else if (!ids.Add(previous.KeyId!))
            {
                failures.Add($"Orian:CardData:PreviousHashKeys:{i}: the key id '{previous.KeyId}' is configured twice.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBase64(string value) => CardDataOptions.Decode(value).Length > 0;
}
