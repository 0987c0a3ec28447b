using System.ComponentModel.DataAnnotations;
using Orian.Configuration;
using Orian.Security;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Ingress</c>: how PPS reaches us.</summary>
public sealed class IngressOptions : IValidatableObject, IDevelopmentAware
{
    public const string Section = "Orian:Ingress";

    private bool _development;

    bool IDevelopmentAware.Development { get => _development; set => _development = value; }

    /// <summary>HTTP Basic user name PPS sends. Required outside Development.</summary>
    public string? Username { get; set; }

    /// <summary>The shortest PPS password accepted: a guessable one would make the guess budget
    /// (<c>Orian:RateLimits</c>) the only defence.</summary>
    public const int MinPasswordLength = 16;

    /// <summary>HTTP Basic password PPS sends, at least <see cref="MinPasswordLength"/> characters.
    /// Required outside Development.</summary>
    public string? Password { get; set; }

    /// <summary>Whether PPS must present a client certificate that chains to
    /// <c>Orian:Tls:ClientCertificateAuthorityPath</c> (mutual TLS), besides its credentials. Needs HTTPS.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Optional <c>whsec_...</c> secret: when set, every request must also carry a valid
    /// Standard Webhooks signature over its body.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>More HTTP Basic pairs that are valid at the same time as <see cref="Username"/> /
    /// <see cref="Password"/> (<c>Orian__Ingress__Credentials__0__Username</c>, <c>..__0__Password</c>,
    /// ...), so PPS's credentials rotate without downtime: add the new pair, let PPS switch, remove the old.</summary>
    public List<IngressCredential> Credentials { get; set; } = [];

    /// <summary>More <c>whsec_...</c> secrets valid at the same time as <see cref="SigningSecret"/>
    /// (<c>Orian__Ingress__SigningSecrets__0</c>, ...), for rotating the signing secret.</summary>
    public List<string> SigningSecrets { get; set; } = [];

    /// <summary>Every valid pair: the main one first.</summary>
    public IEnumerable<(string Username, string Password)> AllCredentials()
    {
        if (!string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password))
        {
            yield return (Username, Password);
        }

        foreach (var c in Credentials)
        {
            if (!string.IsNullOrEmpty(c.Username) && !string.IsNullOrEmpty(c.Password))
            {
                yield return (c.Username, c.Password);
            }
        }
    }

    /// <summary>Every valid signing secret.</summary>
    public IEnumerable<string> AllSigningSecrets() =>
        (string.IsNullOrEmpty(SigningSecret) ? SigningSecrets : SigningSecrets.Prepend(SigningSecret)).Where(s => !string.IsNullOrEmpty(s));

    /// <summary>Largest accepted body; larger requests get 413. Default 64 KiB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long a request waits for its batch to commit before answering 503 (the event may
    /// still commit; PPS's retry is then a duplicate). Default 10 s.</summary>
    [Range(100, 120_000)]
    public int CommitTimeoutMs { get; set; } = 10_000;

    /// <summary>Seconds sent in <c>Retry-After</c> with a 503. Default 1.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!_development && string.IsNullOrWhiteSpace(Username))
        {
            yield return new("Orian:Ingress:Username (env Orian__Ingress__Username) is required outside Development.");
        }

        if (!_development && string.IsNullOrWhiteSpace(Password))
        {
            yield return new("Orian:Ingress:Password (env Orian__Ingress__Password) is required outside Development.");
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new("Orian:Ingress:Username and Orian:Ingress:Password must be set together.");
        }

        if (!string.IsNullOrEmpty(Username) && Username.Contains(':', StringComparison.Ordinal))
        {
            yield return new("Orian:Ingress:Username must not contain ':' (HTTP Basic cannot carry it).");
        }

        if (!string.IsNullOrEmpty(Password) && Password.Length < MinPasswordLength)
        {
            yield return new($"Orian:Ingress:Password (env Orian__Ingress__Password) must be at least {MinPasswordLength} characters.");
        }

        for (var i = 0; i < Credentials.Count; i++)
        {
            var c = Credentials[i];
            if (string.IsNullOrEmpty(c.Username) || string.IsNullOrEmpty(c.Password) || c.Username.Contains(':', StringComparison.Ordinal))
            {
                yield return new($"Orian:Ingress:Credentials:{i} needs a Username (without ':') and a Password.");
            }
            else if (c.Password.Length < MinPasswordLength)
            {
                yield return new($"Orian:Ingress:Credentials:{i}:Password must be at least {MinPasswordLength} characters.");
            }
        }

        foreach (var secret in AllSigningSecrets())
        {
            string? problem;
            try
            {
                problem = StandardWebhookSignature.KeyFromSecret(secret).Length < 16 ? "Orian:Ingress:SigningSecret(s) must decode to at least 16 bytes." : null;
            }
            catch (FormatException e)
            {
                problem = $"Orian:Ingress:SigningSecret(s): {e.Message}";
            }

            if (problem is not null)
            {
                yield return new(problem);
            }
        }
    }
}

/// <summary>One HTTP Basic pair PPS may send.</summary>
public sealed class IngressCredential
{
    public string? Username { get; set; }
    public string? Password { get; set; }
}
