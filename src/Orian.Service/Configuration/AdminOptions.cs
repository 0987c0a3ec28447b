namespace Orian.Service.Configuration;

/// <summary><c>Orian:Admin</c>: the operator API.</summary>
public sealed class AdminOptions
{
    public const string Section = "Orian:Admin";

    /// <summary>The bootstrap <c>orian-admin</c> key, sent as <c>X-Api-Key</c>: it creates the other
    /// keys. Required outside Development.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long a bearer token from <c>POST /v1/identity/hmac</c> lives. Default one hour.</summary>
    [System.ComponentModel.DataAnnotations.Range(60, 24 * 3600)]
    public int TokenLifetimeSeconds { get; set; } = 3600;
}
