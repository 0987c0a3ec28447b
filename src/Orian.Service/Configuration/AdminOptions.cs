namespace Orian.Service.Configuration;

/// <summary><c>Orian:Admin</c>: the operator API.</summary>
public sealed class AdminOptions
{
    public const string Section = "Orian:Admin";

    /// <summary>The bootstrap key, sent as <c>X-Api-Key</c>: it creates named admin keys and can do
    /// nothing else. Required outside Development while <see cref="BootstrapEnabled"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Whether <see cref="ApiKey"/> is accepted at all. Turn it off once the named admin keys
    /// exist; turn it on again (with a new key) only to recover from losing them all.</summary>
    public bool BootstrapEnabled { get; set; } = true;

    /// <summary>How long a bearer token from <c>POST /v1/identity/hmac</c> lives. Default one hour.</summary>
    [System.ComponentModel.DataAnnotations.Range(60, 24 * 3600)]
    public int TokenLifetimeSeconds { get; set; } = 3600;
}
