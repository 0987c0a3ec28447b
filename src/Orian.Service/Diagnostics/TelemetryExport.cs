using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orian.Service.Diagnostics;

/// <summary>
/// OTLP export of the service's meters and spans, and the framework's, with the OpenTelemetry SDK.
/// Off unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is set; configured with
/// the standard variables, read from the host's configuration (so the environment, a settings file
/// or a test can set them). Built when the host starts and disposed with it, which flushes what is
/// buffered. docs/operations.md lists the variables.
/// </summary>
internal sealed class TelemetryExport : IHostedService, IDisposable
{
    /// <summary>The meters exported: ours, and those ASP.NET Core, HttpClient, the database driver and the runtime publish.</summary>
    public static readonly string[] Meters =
    [
        OrianMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http", "System.Net.NameResolution", "System.Runtime", .. Orian.Storage.StorageServices.DriverTelemetry,
    ];

    /// <summary>The span sources exported: ours, and the incoming requests, outgoing calls and database commands.</summary>
    public static readonly string[] Sources = [OrianActivities.SourceName, "Microsoft.AspNetCore", "System.Net.Http", .. Orian.Storage.StorageServices.DriverTelemetry];

    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _tracer;

    public TelemetryExport(IConfiguration configuration)
    {
        Settings = OtlpSettings.From(configuration);
        if (Settings is not { } settings)
        {
            return;
        }

        var resource = ResourceBuilder.CreateEmpty()
            .AddService(settings.ServiceName, serviceVersion: typeof(TelemetryExport).Assembly.GetName().Version?.ToString(), serviceInstanceId: Environment.MachineName)
            .AddAttributes(settings.ResourceAttributes);
        if (settings.MetricsEndpoint is { } metricsEndpoint)
        {
            _meters = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter(Meters)
                .AddOtlpExporter((exporter, reader) =>
                {
                    settings.Configure(exporter, metricsEndpoint);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.MetricIntervalMs;
                })
                .Build();
        }

        if (settings.TracesEndpoint is { } tracesEndpoint)
        {
            _tracer = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .SetSampler(settings.Sampler)
                .AddSource(Sources)
                .AddOtlpExporter(exporter => settings.Configure(exporter, tracesEndpoint))
                .Build();
        }
    }

    /// <summary>What is exported where; null when export is off.</summary>
    public OtlpSettings? Settings { get; }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Flushes and shuts the providers down (the last metrics and spans are sent).</summary>
    public void Dispose()
    {
        _tracer?.Dispose();
        _meters?.Dispose();
    }
}

/// <summary>
/// The OpenTelemetry variables Orian follows: <c>OTEL_SDK_DISABLED</c>,
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and <c>_TRACES_</c>/<c>_METRICS_</c> per signal),
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>http/protobuf</c>, the default, or <c>grpc</c>),
/// <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_EXPORTER_OTLP_TIMEOUT</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, <c>OTEL_TRACES_SAMPLER</c> and
/// <c>OTEL_TRACES_SAMPLER_ARG</c>. A value that cannot be used stops the start with its name.
/// </summary>
internal sealed record OtlpSettings(
    Uri? TracesEndpoint, Uri? MetricsEndpoint, OtlpExportProtocol Protocol, string? Headers, int TimeoutMs, string ServiceName,
    IReadOnlyList<KeyValuePair<string, object>> ResourceAttributes, int MetricIntervalMs, Sampler Sampler)
{
    public static OtlpSettings? From(IConfiguration configuration)
    {
        string? Get(string name) => configuration[name] is { Length: > 0 } value ? value.Trim() : null;
        if (string.Equals(Get("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var protocol = Get("OTEL_EXPORTER_OTLP_PROTOCOL") switch
        {
            null or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            var other => throw Invalid("OTEL_EXPORTER_OTLP_PROTOCOL", other, "http/protobuf or grpc"),
        };
        var common = Get("OTEL_EXPORTER_OTLP_ENDPOINT") is { } e ? Absolute("OTEL_EXPORTER_OTLP_ENDPOINT", e) : null;
        Uri? Signal(string variable, string path) =>
            Get(variable) is { } own ? Absolute(variable, own) // a per-signal endpoint is used as it is
            : common is null ? null
            : protocol == OtlpExportProtocol.Grpc ? common
            : new Uri(common.AbsoluteUri.TrimEnd('/') + "/" + path); // http/protobuf: the signal's path under the base
        var traces = Signal("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "v1/traces");
        var metrics = Signal("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "v1/metrics");
        if (traces is null && metrics is null)
        {
            return null;
        }

        return new OtlpSettings(
            traces, metrics, protocol, Get("OTEL_EXPORTER_OTLP_HEADERS"),
            Number("OTEL_EXPORTER_OTLP_TIMEOUT", Get("OTEL_EXPORTER_OTLP_TIMEOUT"), 10_000),
            Get("OTEL_SERVICE_NAME") ?? "orian",
            ParseAttributes(Get("OTEL_RESOURCE_ATTRIBUTES")),
            Number("OTEL_METRIC_EXPORT_INTERVAL", Get("OTEL_METRIC_EXPORT_INTERVAL"), 60_000),
            SamplerFrom(Get("OTEL_TRACES_SAMPLER"), Get("OTEL_TRACES_SAMPLER_ARG")));
    }

    public void Configure(OtlpExporterOptions exporter, Uri endpoint)
    {
        exporter.Endpoint = endpoint;
        exporter.Protocol = Protocol;
        exporter.TimeoutMilliseconds = TimeoutMs;
        if (Headers is not null)
        {
            exporter.Headers = Headers;
        }
    }

    /// <summary><c>key=value</c> pairs separated by commas, values percent-decoded; a pair without
    /// <c>=</c> or with an empty key is an error, not silently dropped.</summary>
    public static IReadOnlyList<KeyValuePair<string, object>> ParseAttributes(string? text)
    {
        var attributes = new List<KeyValuePair<string, object>>();
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                throw Invalid("OTEL_RESOURCE_ATTRIBUTES", pair, "comma-separated key=value pairs");
            }

            attributes.Add(new(Uri.UnescapeDataString(pair[..equals].Trim()), Uri.UnescapeDataString(pair[(equals + 1)..].Trim())));
        }

        return attributes;
    }

    private static Sampler SamplerFrom(string? name, string? argument)
    {
        double Ratio() => argument is null ? 1.0
            : double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1 ? r
            : throw Invalid("OTEL_TRACES_SAMPLER_ARG", argument, "a ratio from 0 to 1");
        return name switch
        {
            null or "parentbased_always_on" => new ParentBasedSampler(new AlwaysOnSampler()),
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "traceidratio" => new TraceIdRatioBasedSampler(Ratio()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(Ratio())),
            var other => throw Invalid("OTEL_TRACES_SAMPLER", other, "always_on, always_off, traceidratio or their parentbased_ forms"),
        };
    }

    private static Uri Absolute(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Invalid(variable, value, "an absolute http:// or https:// URL");

    private static int Number(string variable, string? value, int fallback) =>
        value is null ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw Invalid(variable, value, "a positive whole number of milliseconds");

    private static InvalidOperationException Invalid(string variable, string value, string expected) =>
        new($"{variable} is '{value}'; it must be {expected}.");
}
