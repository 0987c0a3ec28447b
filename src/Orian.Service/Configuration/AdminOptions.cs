using System.ComponentModel.DataAnnotations;
using Orian.Configuration;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Admin</c>: the operator API.</summary>
public sealed class AdminOptions : IValidatableObject, IDevelopmentAware
{
    public const string Section = "Orian:Admin";

    private bool _development;

    bool IDevelopmentAware.Development { get => _development; set => _development = value; }

    /// <summary>The bootstrap key, sent as <c>X-Api-Key</c>: it creates named admin keys and can do
    /// nothing else. Required outside Development while <see cref="BootstrapEnabled"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether <see cref="ApiKey"/> is accepted at all. Turn it off once the named admin keys
    /// exist; turn it on again (with a new key) only to recover from losing them all.</summary>
    public bool BootstrapEnabled { get; set; } = true;

    /// <summary>How long a bearer token from <c>POST /v1/identity/hmac</c> lives. Default one hour.</summary>
    [Range(60, 24 * 3600)]
    public int TokenLifetimeSeconds { get; set; } = 3600;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!BootstrapEnabled)
        {
            yield break; // the key, if any is still configured, is never compared
        }

        if (!_development && string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new("Orian:Admin:ApiKey (env Orian__Admin__ApiKey) is required outside Development while the bootstrap key is enabled "
                + "(Orian__Admin__BootstrapEnabled=false turns it off).");
        }
        else if (!string.IsNullOrEmpty(ApiKey) && ApiKey.Length < 16)
        {
            yield return new("Orian:Admin:ApiKey must be at least 16 characters.");
        }
    }
}
