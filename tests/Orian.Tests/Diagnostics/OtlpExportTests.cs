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

        /// <summary>The value of the <c>x-orian-test</c> header on each post that had one.</summary>
        public ConcurrentQueue<string> TestHeaders { get; } = new();

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
                if (context.Request.Headers.TryGetValue("x-orian-test", out var header))
                {
                    collector.TestHeaders.Enqueue(header.ToString());
                }

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

    /// <summary>One HTTP/1.1 request written to a socket (headers ending with CRLF, then the body); the answer's first line.</summary>
    private static async Task<string> BareRequestAsync(Uri address, string head, string body)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"{head}Host: {address.Authority}\r\nConnection: close\r\n\r\n{body}"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? "";
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
            Assert.That(service.Services.GetRequiredService<OtlpVariables>().Exporting);
            await SendTrafficAsync(service);
            // A card number in the path and the query: whatever the answer (the body's id differs: 400), no
            // span, metric or log line may carry it. (A top-level id keeps its digits by design: docs/edge.md.)
            // Sent over a bare socket: HttpClient's own spans in this process would carry the URL.
            var body = new Txn { Id = "OTLP-CARD" }.Json;
            Assert.That(await BareRequestAsync(service.Address, $"PUT /v2/transactions/4111111111111111?pan=4111111111111111 HTTP/1.1\r\nContent-Type: application/json\r\n" +
                $"Authorization: {TestService.PpsCredentials}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", body), Does.StartWith("HTTP/1.1 400"));
            Assert.That(await BareRequestAsync(service.Address, "GET /v1/cards/4111111111111111 HTTP/1.1\r\n", ""), Does.StartWith("HTTP/1.1 4"));
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
            Assert.That(collector.Received("/v1/logs", "Applied schema script"), "the service's log lines, with the endpoint set");
            Assert.That(collector.Posts.SelectMany(p => System.Text.RegularExpressions.Regex.Matches(Encoding.UTF8.GetString(p.Body), "[\\s\\S]{0,60}4111111111111111").Select(m => p.Path + ": " + m.Value)), Is.Empty,
                "no raw path, query or card number in anything exported");
        });
    }

    [Test]
    public async Task WithoutTheEndpointOrWithTheSdkDisabledNothingIsSent()
    {
        await using var collector = await Collector.StartAsync();
        var quiet = await TestService.StartSqliteAsync(settings: new() { ["OTEL_SERVICE_NAME"] = "orian-quiet" });
        await using (quiet)
        {
            Assert.That(quiet.Services.GetRequiredService<OtlpVariables>().Exporting, Is.False);
            Assert.That(quiet.Services.GetService<OpenTelemetry.Trace.TracerProvider>(), Is.Null, "not even the SDK is registered");
            await SendTrafficAsync(quiet);
        }

        var disabled = await TestService.StartSqliteAsync(settings: new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_SDK_DISABLED"] = "true",
        });
        await using (disabled)
        {
            Assert.That(disabled.Services.GetRequiredService<OtlpVariables>().Exporting, Is.False);
            await SendTrafficAsync(disabled);
        }

        Assert.That(collector.Posts, Is.Empty);
    }

    private static OtlpVariables Read(params (string Key, string Value)[] values) =>
        OtlpVariables.From(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    /// <summary>The SDK reads the endpoints itself: a base URL gets each signal's path appended under it
    /// (http/protobuf), and a signal's own endpoint is used as given, that signal alone exported.</summary>
    [Test]
    public async Task TheEndpointVariablesAreFollowedAsTheConventionsSay()
    {
        await using var collector = await Collector.StartAsync();
        var based = await TestService.StartSqliteAsync(settings: new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url.TrimEnd('/') + "/base/",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "600000",
        });
        await using (based)
        {
            await SendTrafficAsync(based);
        }

        var tracesOnly = await TestService.StartSqliteAsync(settings: new()
        {
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = collector.Url.TrimEnd('/') + "/only/traces/here",
        });
        await using (tracesOnly)
        {
            var variables = tracesOnly.Services.GetRequiredService<OtlpVariables>();
            Assert.That((variables.Traces, variables.Metrics, variables.Logs), Is.EqualTo((true, false, false)));
            await SendTrafficAsync(tracesOnly);
        }

        var paths = collector.Posts.Select(p => p.Path).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.That(paths, Is.EqualTo(new[] { "/base/v1/logs", "/base/v1/metrics", "/base/v1/traces", "/only/traces/here" }),
            "each signal under the base; the traces-only service sent traces to their own endpoint and nothing else");
    }

    /// <summary>The variables Orian leaves to the SDK alone are read from the host's configuration too:
    /// the headers sent with each export, and the sampler.</summary>
    [Test]
    public async Task TheHeadersAndTheSamplerAreTheSdksToRead()
    {
        await using var collector = await Collector.StartAsync();
        var service = await TestService.StartSqliteAsync(settings: new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-orian-test=from-the-configuration",
            ["OTEL_TRACES_SAMPLER"] = "always_off",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "600000",
        });
        await using (service)
        {
            await SendTrafficAsync(service);
        }

        Assert.That(collector.Posts.Select(p => p.Path), Does.Contain("/v1/metrics"), "metrics, flushed at the stop");
        Assert.That(collector.Posts.Select(p => p.Path), Does.Not.Contain("/v1/traces"), "always_off: no span is sampled, so none is sent");
        Assert.That(collector.TestHeaders, Is.Not.Empty.And.All.EqualTo("from-the-configuration"), "every export carries the configured header");
    }

    [Test]
    public void TheVariablesAreCheckedBeforeTheSdkReadsThem()
    {
        var http = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/base/"));
        Assert.That((http.Traces, http.Metrics, http.Logs), Is.EqualTo((true, true, true)), "a base endpoint exports every signal");
        Assert.That(http.ServiceName, Is.EqualTo("orian"));
        Assert.That(Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_SERVICE_NAME", "ledger-a")).ServiceName, Is.EqualTo("ledger-a"));
        Assert.That(Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).Exporting);
        Assert.That(Read().Exporting, Is.False, "no endpoint: no export");
        Assert.That(Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_SDK_DISABLED", "TRUE")).Exporting, Is.False, "disabled whatever else is set");

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
                var attributes = OtlpVariables.ParseAttributes(text);
                return attributes.All(a => a.Key.Length > 0 || a.Key.Trim().Length == 0);
            }
            catch (InvalidOperationException e)
            {
                return e.Message.StartsWith("OTEL_RESOURCE_ATTRIBUTES", StringComparison.Ordinal);
            }
        }));
}
