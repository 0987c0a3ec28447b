using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Server</c>: the HTTP server's own limits, so that no client can hold more
/// memory or connections than these allow, whatever it sends.</summary>
public sealed class ServerOptions
{
    public const string Section = "Orian:Server";

    /// <summary>Open connections at most; further ones are refused. Default 2,000.</summary>
    [Range(16, 1_000_000)]
    public int MaxConnections { get; set; } = 2_000;

    /// <summary>Total bytes of one request's headers. Default 16 KiB (Kestrel's own is 32 KiB).</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 16 * 1024;

    /// <summary>Headers per request. Default 64.</summary>
    [Range(8, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>Bytes of the request line (method, path, query). Default 8 KiB.</summary>
    [Range(256, 64 * 1024)]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Any request body, at the server (each endpoint has its own, smaller limit).
    /// Default 1 MiB.</summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Time a client has to send its headers. Default 10 s.</summary>
    [Range(1, 600)]
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>How long an idle keep-alive connection is kept. Default 120 s.</summary>
    [Range(1, 3600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 120;
}
