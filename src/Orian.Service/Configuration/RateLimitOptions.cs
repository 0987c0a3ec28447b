using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:RateLimits</c>: how many authentication guesses one address gets, and how many
/// connections one address may hold.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Orian:RateLimits";

    /// <summary>Failed authentications one address may make on one surface before it is refused
    /// (<c>429</c>). Default 20.</summary>
    [Range(1, 100_000)]
    public int AuthFailureBurst { get; set; } = 20;

    /// <summary>How fast those come back: guesses per minute. Default 20 (one every 3 s).</summary>
    [Range(1, 60_000)]
    public int AuthFailuresPerMinute { get; set; } = 20;

    /// <summary>Open connections one address may hold; more are closed as they open. Default 512
    /// (PPS may run many connections from one address; the server's own limit is
    /// <c>Orian:Server:MaxConnections</c>).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerSource { get; set; } = 512;
}
