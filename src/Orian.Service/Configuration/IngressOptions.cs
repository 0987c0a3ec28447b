using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Ingress</c>: how PPS reaches us.</summary>
public sealed class IngressOptions
{
    public const string Section = "Orian:Ingress";

    /// <summary>HTTP Basic user name PPS sends. Required outside Development.</summary>
    public string? Username { get; set; }

    /// <summary>HTTP Basic password PPS sends. Required outside Development.</summary>
    public string? Password { get; set; }

    /// <summary>Optional <c>whsec_...</c> secret: when set, every request must also carry a valid
    /// Standard Webhooks signature over its body.</summary>
    public string? SigningSecret { get; set; }

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
}
