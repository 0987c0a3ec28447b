using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Telemetry</c>: the in-process side of telemetry. Export is configured with the
/// standard OpenTelemetry variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and friends; docs/operations.md).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Orian:Telemetry";

    /// <summary>How often the database gauges (outbox backlog, dead letters, overdrawn accounts) are
    /// sampled. The overdrawn count scans the accounts table. Default 15 s.</summary>
    [Range(1, 3600)]
    public int SampleSeconds { get; set; } = 15;

    /// <summary>An authentication failure is logged at most once per this interval per source
    /// address (with the count of those not logged); every one is counted in
    /// <c>orian.auth.failures</c>. Default 60 s.</summary>
    [Range(1, 86_400)]
    public int AuthFailureLogSeconds { get; set; } = 60;
}
