using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Orian.Service.Diagnostics;
using Orian.Tests.Support;

namespace Orian.Tests.Diagnostics;

/// <summary>OTLP export to a collector stand-in on 127.0.0.1: on when the standard variables say,
/// silent otherwise; and how those variables are read.</summary>
public sealed class OtlpExportTests
{
    /// <summary>Accepts OTLP/HTTP posts and keeps each one's path, content type and body.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Collector(WebApplication app) => _app = app;

        public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Posts { get; } = new();

        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var collector = new Collector(app);
            app.MapPost("/{**path}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                collector.Posts.Enqueue((context.Request.Path.Value!, context.Request.ContentType, body.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            return collector;
        }

        public bool Received(string path, string text) =>
            Posts.Any(p => p.Path == path && p.ContentType == "application/x-protobuf" && Encoding.UTF8.GetString(p.Body).Contains(text, StringComparison.Ordinal));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static async Task SendTrafficAsync(TestService service)
    {
        using var put = await service.PutAsync(new Txn { Id = "OTLP-1" });
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task WithTheEndpointSetMetricsAndTracesArriveAtTheCollector()
    {
        await using var collector = await Collector.StartAsync();
        var service = await TestService.StartSqliteAsync(settings: new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_SERVICE_NAME"] = "orian-otlp-test",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=ci,team=payments%2Cledger",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "600000", // only the final export, when the host stops
        });
        await using (service)
        {
            Assert.That(service.Services.GetRequiredService<TelemetryExport>().Settings, Is.Not.Null);
            await SendTrafficAsync(service);
        }

        // Disposing the host flushed both providers.
        Assert.Multiple(() =>
        {
            Assert.That(collector.Received("/v1/metrics", "orian.events"), "the Orian meter");
            Assert.That(collector.Received("/v1/metrics", "orian.batch.duration"));
            Assert.That(collector.Received("/v1/metrics", "http.server.request.duration"), "ASP.NET Core's meter");
            Assert.That(collector.Received("/v1/metrics", "orian-otlp-test"), "the service name from OTEL_SERVICE_NAME");
            Assert.That(collector.Received("/v1/metrics", "payments,ledger"), "resource attributes, percent-decoded");
            Assert.That(collector.Received("/v1/traces", "orian.receive"), "the request span");
            Assert.That(collector.Received("/v1/traces", "orian.batch"), "the batch span");
            Assert.That(collector.Received("/v1/traces", "OTLP-1"), "with the transaction id");
        });
    }

    [Test]
    public async Task WithoutTheEndpointOrWithTheSdkDisabledNothingIsSent()
    {
        await using var collector = await Collector.StartAsync();
        var quiet = await TestService.StartSqliteAsync(settings: new() { ["OTEL_SERVICE_NAME"] = "orian-quiet" });
        await using (quiet)
        {
            Assert.That(quiet.Services.GetRequiredService<TelemetryExport>().Settings, Is.Null);
            await SendTrafficAsync(quiet);
        }

        var disabled = await TestService.StartSqliteAsync(settings: new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_SDK_DISABLED"] = "true",
        });
        await using (disabled)
        {
            Assert.That(disabled.Services.GetRequiredService<TelemetryExport>().Settings, Is.Null);
            await SendTrafficAsync(disabled);
        }

        Assert.That(collector.Posts, Is.Empty);
    }

    private static OtlpSettings? Read(params (string Key, string Value)[] values) =>
        OtlpSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Test]
    public void TheVariablesAreReadAsTheConventionsSay()
    {
        var http = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/base/"))!;
        Assert.That(http.TracesEndpoint!.AbsoluteUri, Is.EqualTo("http://collector:4318/base/v1/traces"), "http/protobuf (the default) appends each signal's path");
        Assert.That(http.MetricsEndpoint!.AbsoluteUri, Is.EqualTo("http://collector:4318/base/v1/metrics"));
        Assert.That(http.ServiceName, Is.EqualTo("orian"));
        Assert.That(http.MetricIntervalMs, Is.EqualTo(60_000));

        var grpc = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))!;
        Assert.That(grpc.TracesEndpoint!.AbsoluteUri, Is.EqualTo("http://collector:4317/"), "gRPC uses the endpoint as it is");

        var tracesOnly = Read(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/ingest"))!;
        Assert.That(tracesOnly.TracesEndpoint!.AbsoluteUri, Is.EqualTo("https://traces.example/ingest"), "a per-signal endpoint is used as it is");
        Assert.That(tracesOnly.MetricsEndpoint, Is.Null, "and only that signal is exported");

        Assert.That(Read(), Is.Null, "no endpoint: no export");
        foreach (var (key, value) in new[]
                 {
                     ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://x"),
                     ("OTEL_METRIC_EXPORT_INTERVAL", "-5"), ("OTEL_TRACES_SAMPLER", "sometimes"), ("OTEL_RESOURCE_ATTRIBUTES", "novalue"),
                 })
        {
            var values = key == "OTEL_EXPORTER_OTLP_ENDPOINT" ? new[] { (key, value) } : [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), (key, value)];
            var error = Assert.Throws<InvalidOperationException>(() => Read(values));
            Assert.That(error!.Message, Does.StartWith(key), "the message names the variable");
        }

        Assert.Throws<InvalidOperationException>(() => Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_TRACES_SAMPLER", "traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", "1.5")));
    }

    /// <summary>Texts built of the pieces that matter to the parser, and the strangest characters.</summary>
    private static readonly Gen<string> AttributeTexts =
        from parts in Gen.Elements("=", ",", "%", "%2", "%2C", "%zz", "%E9", "%ED%A0%80", "key", "v", " ", "\u0000", "\ud800", "\n", "é", "==", ",,").ArrayOf()
        select string.Concat(parts);

    [Test]
    public void ResourceAttributesOfAnyTextEitherParseOrNameTheirVariable() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000).WithQuietOnSuccess(true), Prop.ForAll(AttributeTexts.ToArbitrary(), text =>
        {
            try
            {
                var attributes = OtlpSettings.ParseAttributes(text);
                return attributes.All(a => a.Key.Length > 0 || a.Key.Trim().Length == 0);
            }
            catch (InvalidOperationException e)
            {
                return e.Message.StartsWith("OTEL_RESOURCE_ATTRIBUTES", StringComparison.Ordinal);
            }
        }));
}
