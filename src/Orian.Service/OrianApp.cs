using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orian.Authorisation;
using Orian.Configuration;
using Orian.Ledger;
using Orian.Service.Configuration;
using Orian.Service.Diagnostics;
using Orian.Service.Endpoints;
using Orian.Service.Health;
using Orian.Service.Pipeline;
using Orian.Service.Security;
using Orian.Storage;

namespace Orian.Service;

/// <summary>The service's composition: what it registers and what it maps. <c>Program.cs</c> and
/// the tests build the same application from here.</summary>
public static class OrianApp
{
    /// <summary>Where the service listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Framework log categories whose lines carry raw client input.</summary>
    public static readonly string[] UntrustedLogCategories =
    [
        HostingCategory,
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Result",
    ];

    /// <summary>ASP.NET Core's request logging, whose scope carries the raw request path.</summary>
    public const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <param name="settings">Configuration added over the host's own before anything is registered
    /// (what a host, such as the tests, configures in memory).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel is configured as the app is built: reading the server and TLS sections here validates
            // them then (ValidatedOptions), before Kestrel sees a limit or a certificate; the rest at start-up.
            var server = kestrel.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
            var limits = kestrel.Limits;
            limits.MaxConcurrentConnections = server.MaxConnections;
            limits.MaxConcurrentUpgradedConnections = server.MaxConnections;
            limits.MaxRequestHeadersTotalSize = server.MaxRequestHeadersTotalBytes;
            limits.MaxRequestHeaderCount = server.MaxRequestHeaderCount;
            limits.MaxRequestLineSize = server.MaxRequestLineBytes;
            // Never below the ingress limit, so an oversized ORIAN body always gets the endpoint's own 413 problem.
            var ingress = context.Configuration.GetSection(IngressOptions.Section).Get<IngressOptions>() ?? new IngressOptions(); // validated at start-up
            limits.MaxRequestBodySize = Math.Max(server.MaxRequestBodyBytes, ingress.MaxBodyBytes + 1L);
            limits.RequestHeadersTimeout = TimeSpan.FromSeconds(server.RequestHeadersTimeoutSeconds);
            limits.KeepAliveTimeout = TimeSpan.FromSeconds(server.KeepAliveTimeoutSeconds);
            ConfigureTls(kestrel, kestrel.ApplicationServices.GetRequiredService<IOptions<TlsOptions>>().Value);
            // Per-source connection cap, before TLS and HTTP (Kestrel caps only the total).
            var sources = kestrel.ApplicationServices.GetRequiredService<SourceConnections>();
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(sources.Middleware));
        });
        builder.AddOrian();
        // The framework's request lines (hosting, routing, Kestrel's bad-request reports) write the
        // decoded path as the client sent it: line breaks and card numbers included. Orian logs every
        // request it refuses itself, escaped and masked, so these stay at Warning whatever the
        // configuration says for Microsoft.AspNetCore as a whole (hosting's is off: see below).
        foreach (var category in UntrustedLogCategories)
        {
            builder.Logging.AddFilter(category, category == HostingCategory ? LogLevel.None : LogLevel.Warning);
        }

        // Every line written while a request or a span is current carries its trace id (the one a
        // 500 quotes) as a scope; the console shows scopes. Hosting's own request scope would add the
        // raw path to every line, so its category is off: it writes nothing we need (Orian logs each
        // request it refuses, and every failure, itself), and RequestTraces keeps the request span
        // that its logging used to create.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        // Under systemd (deploy/orian.service, Type=notify): READY once the host has started, STOPPING when
        // it stops, and console lines in the journal's form with their priority. Nothing otherwise.
        builder.Host.UseSystemd();
        // The console's form: Logging:Console:FormatterName (env Logging__Console__FormatterName) if set;
        // else the journal's under systemd, readable lines in Development, JSON lines (one object per
        // line, for a log shipper) everywhere else. Always a named formatter, or the console logger
        // copies its own (legacy) IncludeScopes over ours. After UseSystemd's own choice, which would
        // otherwise override a configured one.
        var formatter = builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } chosen ? chosen
            : Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService() ? Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Systemd
            : builder.Environment.IsDevelopment() ? Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Simple
            : Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Json;
        builder.Services.PostConfigure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>(o => o.IncludeScopes = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>(o => o.IncludeScopes = true); // the journal's form
        configure?.Invoke(builder); // after AddOrian, so a host (the tests) can replace a registration

        var app = builder.Build();
        app.MapOrian();
        return app;
    }

    public static void AddOrian(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Every section one way (ValidatedOptions): bound, then checked at start-up by its generated validator.
        services.AddValidatedOptions<ServerOptions, ServerOptionsValidator>(ServerOptions.Section);
        services.AddValidatedOptions<TlsOptions, TlsOptionsValidator>(TlsOptions.Section)
            .PostConfigure<IConfiguration>((tls, configuration) =>
                tls.ClientCertificateRequired = configuration.GetValue<bool>($"{IngressOptions.Section}:{nameof(IngressOptions.RequireClientCertificate)}"));
        services.AddValidatedOptions<IngressOptions, IngressOptionsValidator>(IngressOptions.Section);
        services.AddValidatedOptions<AdminOptions, AdminOptionsValidator>(AdminOptions.Section);
        services.AddValidatedOptions<PipelineOptions, PipelineOptionsValidator>(PipelineOptions.Section);
        services.AddValidatedOptions<AuthorisationOptions, AuthorisationOptionsValidator>(AuthorisationOptions.Section);
        services.AddSingleton(sp => CreatePolicy(sp.GetRequiredService<IOptions<AuthorisationOptions>>().Value));
        services.AddValidatedOptions<OutboxOptions, OutboxOptionsValidator>(OutboxOptions.Section);
        services.AddValidatedOptions<OrchestratorOptions, OrchestratorOptionsValidator>(OrchestratorOptions.Section);
        services.AddValidatedOptions<CardDataOptions, CardDataOptionsValidator>(CardDataOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CardDataOptions>>().Value.Keys() ?? PayloadKeys.Development);

        services.AddSingleton(TimeProvider.System);
        services.AddOrianStorage(builder.Configuration);
        services.AddSingleton<Orian.Service.Delivery.OrchestratorClient>();
        services.AddSingleton<Orian.Service.Delivery.OutboxSignal>();
        services.AddSingleton(sp => new LedgerBatchApplier(
            sp.GetRequiredService<ILedgerStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AuthorisationPolicy>(),
            sp.GetRequiredService<ILogger<LedgerBatchApplier>>(), sp.GetRequiredService<OrianMetrics>().BatchRetried,
            // The batch fans its events out: when it queued deliveries, its span says how many (it is
            // the current activity) and how many this instance took live; the claims look now for the
            // rest, if any of them could be claimed (not those of an endpoint whose circuit is open:
            // a batch per ring made the claims read a failing endpoint's backlog at every commit).
            queued =>
            {
                var live = queued.Count(d => d.LeaseOwner is not null);
                System.Diagnostics.Activity.Current?.SetTag("orian.deliveries", queued.Count);
                System.Diagnostics.Activity.Current?.SetTag("orian.deliveries.live", live);
                if (live < queued.Count && sp.GetRequiredService<Orian.Service.Delivery.WebhookDispatcher>().CouldClaimAny(queued))
                {
                    sp.GetRequiredService<Orian.Service.Delivery.OutboxSignal>().RingDeliveries();
                }
            },
            sp.GetRequiredService<Orian.Service.Delivery.WebhookDispatcher>()));

        // The host runs every service's StartingAsync (IHostedLifecycleService: the writer watch, then the
        // schema's migration) before any StartAsync, and the StartAsyncs in registration order: export
        // first (so it sees everything), then the rest, each on a current schema.
        builder.AddTelemetryExport();
        services.AddHostedService<RequestTraces>();
        services.AddHostedService<WriterHostWatch>(); // listening from the starting phase, before the first write
        services.AddHostedService<SchemaMigrationService>(); // in the starting phase, before every StartAsync
        services.AddHostedService<StoredBodyMaintenance>();
        services.AddHostedService<Orian.Service.Delivery.OutboxHistoryPurge>();
        services.AddSingleton<FailureClassifier>();
        services.AddSingleton<StandInReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<StandInReconciler>()); // revokes what a crash left unconfirmed, before traffic
        services.AddSingleton<DecisionConfirmations>();
        services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section);
        services.AddMetrics();
        services.AddSingleton<OrianMetrics>();
        services.AddSingleton<ServiceGaugesReader>();
        services.AddSingleton<TelemetrySampler>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetrySampler>());
        services.AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>(RateLimitOptions.Section);
        services.AddSingleton<AuthThrottle>();
        services.AddRateLimiter(AuthThrottle.AddPolicies);
        services.AddSingleton(sp => new SourceConnections(sp.GetRequiredService<IOptions<RateLimitOptions>>().Value.MaxConnectionsPerSource));
        services.AddSingleton<AuthFailures>();
        services.AddSingleton<IngestPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddSingleton<Orian.Service.Delivery.WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<Orian.Service.Delivery.WebhookDispatcher>());

        services.AddSingleton<IngressAuthenticator>();
        services.AddIngress();
        services.AddSingleton<OperatorAuthenticator>();
        services.AddOperatorAuthentication();
        services.AddPpsAuthentication();
        services.AddSingleton(sp => Orian.Service.Delivery.Egress.From(sp.GetRequiredService<IOptions<OutboxOptions>>().Value.AllowedPrivateNetworks).Egress!);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<FailureHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            // The web defaults (camelCase) would override the context's own policy: ORIAN and our API are snake_case.
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            // One null rule (see OrianApiJsonContext): members are written even when null. Numbers are numbers:
            // the web defaults would read them from strings too, and the document would say so.
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, Orian.Api.OrianApiJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, OrianJsonContext.Default);
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddApiDocument();
        // Data Protection reads its key ring in its StartAsync, from the database in Development: the
        // schema is current by then (SchemaMigrationService, in the starting phase).
    }

    public static void MapOrian(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter(); // the authentication-failure budgets (AuthThrottle), per surface, before any key is looked up
        app.UseAuthentication();
        app.UseAuthorization(); // PPS on the ingress route, each operator route's role (Needs): 401 and 403 as problem bodies
        app.MapIngress();
        app.MapOperatorApi();
        app.MapWebhookApi();
        app.MapRetentionHoldApi();
        app.MapInstructionLinkApi();
        app.MapIdentityApi();
        app.MapStatusApi();
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", Orian.Service.Health.HealthAnswer.Ready);
        app.MapApiDocument();
    }

    /// <summary>HTTPS from the configured certificate on every https address; with a client-certificate
    /// authority, client certificates are asked for, and one that does not chain to it fails the
    /// handshake (whether PPS must present one is the ingress endpoint's check).</summary>
    private static void ConfigureTls(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, TlsOptions tls)
    {
        if (!tls.Enabled)
        {
            return;
        }

        var certificate = Certificates.LoadServer(tls);
        var authorities = string.IsNullOrWhiteSpace(tls.ClientCertificateAuthorityPath) ? null : Certificates.LoadAuthorities(tls.ClientCertificateAuthorityPath);
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
            if (authorities is not null)
            {
                https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                https.CheckCertificateRevocation = false;
                https.ClientCertificateValidation = (client, chain, _) =>
                    Certificates.ChainsTo(client, authorities, chain is null ? null : new X509Certificate2Collection(chain.ChainElements.Select(e => e.Certificate).ToArray()));
            }
        });
    }

    private static AuthorisationPolicy CreatePolicy(AuthorisationOptions options) => new(
        options.PartialApproval,
        new Dictionary<string, bool>(options.PartialApprovalByProductClass, StringComparer.Ordinal),
        options.StandInResult == "APPROVED" ? Orian.Domain.TxnResult.Approved : Orian.Domain.TxnResult.Declined,
        options.StandInDetail);
}
