using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orian.Service.Diagnostics;

/// <summary>
/// OTLP export of the service's spans, meters and logs, and the framework's, through OpenTelemetry's own
/// hosting (<c>AddOpenTelemetry</c>): the SDK reads the standard <c>OTEL_*</c> variables itself, from the
/// host's configuration (so the environment, a settings file or a test can set them), builds the
/// providers when the host starts and flushes them when it stops. What Orian adds: a signal is exported
/// only when an endpoint is set for it (never to the SDK's default of localhost), the values are checked
/// at start so that one the SDK would ignore stops the start with its name (<see cref="OtlpVariables"/>),
/// the protocol's default (<c>http/protobuf</c>, as the conventions recommend, where this SDK's own is
/// gRPC), a signal's own endpoint (which this SDK reads only for its all-signals exporter, and that
/// exports every signal), and the sources and meters. docs/operations.md lists the variables.
/// </summary>
internal static class TelemetryExport
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

    /// <summary>Registers the export of each signal that has an endpoint (none when the SDK is disabled
    /// or no endpoint is set: then not even the SDK is registered), and the <see cref="OtlpVariables"/>
    /// read, which says what is exported.</summary>
    public static void AddTelemetryExport(this IHostApplicationBuilder builder)
    {
        var variables = OtlpVariables.From(builder.Configuration);
        builder.Services.AddSingleton(variables);
        if (!variables.Exporting)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource
            // After the SDK's own reading of OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, which this
            // repeats (the name, else "orian"; the attributes percent-decoded, as the conventions say).
            .AddService(variables.ServiceName, serviceVersion: typeof(TelemetryExport).Assembly.GetName().Version?.ToString(), serviceInstanceId: Environment.MachineName)
            .AddAttributes(variables.ResourceAttributes));
        if (variables.Traces)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(Sources).AddOtlpExporter(exporter => variables.Configure(exporter, variables.TracesEndpoint)));
        }

        if (variables.Metrics)
        {
            telemetry.WithMetrics(metrics => metrics.AddMeter(Meters).AddOtlpExporter((exporter, _) => variables.Configure(exporter, variables.MetricsEndpoint)));
        }

        if (variables.Logs)
        {
            // The same filters as every other log provider (the framework's categories that would write
            // a raw path are off or at Warning); messages as their templates and arguments, which Orian
            // masks before it logs them.
            telemetry.WithLogging(logging => logging.AddOtlpExporter(exporter => variables.Configure(exporter, variables.LogsEndpoint)));
        }
    }
}

/// <summary>
/// The OpenTelemetry variables, as Orian checks them before the SDK reads them: <c>OTEL_SDK_DISABLED</c>,
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and <c>_TRACES_</c>, <c>_METRICS_</c>, <c>_LOGS_</c> per signal),
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>http/protobuf</c>, the default, or <c>grpc</c>),
/// <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_EXPORTER_OTLP_TIMEOUT</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, <c>OTEL_TRACES_SAMPLER</c> and
/// <c>OTEL_TRACES_SAMPLER_ARG</c>. The SDK skips a value it cannot use (a note on its own event source,
/// which nobody reads); here such a value stops the start, with its name.
/// </summary>
internal sealed record OtlpVariables(
    bool Traces, bool Metrics, bool Logs, OtlpExportProtocol Protocol, string ServiceName, IReadOnlyList<KeyValuePair<string, object>> ResourceAttributes)
{
    /// <summary>Whether anything is exported.</summary>
    public bool Exporting => Traces || Metrics || Logs;

    /// <summary>The signals' own endpoints, used as given (null: under the base, as the SDK derives it).</summary>
    public Uri? TracesEndpoint { get; init; }

    public Uri? MetricsEndpoint { get; init; }

    public Uri? LogsEndpoint { get; init; }

    /// <summary>What this exporter takes from Orian rather than from the SDK's reading of the variables.</summary>
    public void Configure(OtlpExporterOptions exporter, Uri? ownEndpoint)
    {
        exporter.Protocol = Protocol;
        if (ownEndpoint is not null)
        {
            exporter.Endpoint = ownEndpoint;
        }
    }

    public static OtlpVariables From(IConfiguration configuration)
    {
        string? Get(string name) => configuration[name] is { Length: > 0 } value ? value.Trim() : null;
        if (string.Equals(Get("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return new OtlpVariables(false, false, false, OtlpExportProtocol.HttpProtobuf, "orian", []);
        }

        var protocol = Get("OTEL_EXPORTER_OTLP_PROTOCOL") switch
        {
            null or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            var other => throw Invalid("OTEL_EXPORTER_OTLP_PROTOCOL", other, "http/protobuf or grpc"),
        };
        Uri? Endpoint(string variable) => Get(variable) is { } value ? Absolute(variable, value) : null;
        var common = Endpoint("OTEL_EXPORTER_OTLP_ENDPOINT") is not null;
        var (traces, metrics, logs) = (Endpoint("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), Endpoint("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"), Endpoint("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"));
        Number("OTEL_EXPORTER_OTLP_TIMEOUT", Get("OTEL_EXPORTER_OTLP_TIMEOUT"));
        Number("OTEL_METRIC_EXPORT_INTERVAL", Get("OTEL_METRIC_EXPORT_INTERVAL"));
        CheckSampler(Get("OTEL_TRACES_SAMPLER"), Get("OTEL_TRACES_SAMPLER_ARG"));
        var attributes = ParseAttributes(Get("OTEL_RESOURCE_ATTRIBUTES"));
        return new OtlpVariables(traces is not null || common, metrics is not null || common, logs is not null || common, protocol, Get("OTEL_SERVICE_NAME") ?? "orian", attributes)
        {
            TracesEndpoint = traces,
            MetricsEndpoint = metrics,
            LogsEndpoint = logs,
        };
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

    private static void CheckSampler(string? name, string? argument)
    {
        switch (name)
        {
            case null or "parentbased_always_on" or "always_on" or "always_off" or "parentbased_always_off":
                return;
            case "traceidratio" or "parentbased_traceidratio":
                if (argument is not null
                    && !(double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1))
                {
                    throw Invalid("OTEL_TRACES_SAMPLER_ARG", argument, "a ratio from 0 to 1");
                }

                return;
            default:
                throw Invalid("OTEL_TRACES_SAMPLER", name, "always_on, always_off, traceidratio or their parentbased_ forms");
        }
    }

    private static Uri Absolute(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Invalid(variable, value, "an absolute http:// or https:// URL");

    private static void Number(string variable, string? value)
    {
        if (value is not null && !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0))
        {
            throw Invalid(variable, value, "a positive whole number of milliseconds");
        }
    }

    private static InvalidOperationException Invalid(string variable, string value, string expected) =>
        new($"{variable} is '{value}'; it must be {expected}.");
}
