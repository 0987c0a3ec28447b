using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Orian.Service;

namespace Orian.Tests.Support;

/// <summary>
/// The real service on Kestrel at 127.0.0.1 (an ephemeral port), configured per test, with an
/// HttpClient that speaks to it as PPS and one that speaks to it as an operator.
/// </summary>
internal sealed class TestService : IAsyncDisposable
{
    public const string PpsUser = "pps";
    public const string PpsPassword = "pps-test-password";
    public const string ApiKey = "operator-test-key-0001";

    /// <summary>Where the tests' receivers listen.</summary>
    public const string LoopbackNetworks = "127.0.0.0/8,::1/128";

    private readonly WebApplication _app;
    private TestDatabase? _owned;

    private TestService(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Pps = Client(address);
        Pps.DefaultRequestHeaders.Authorization = PpsCredentials;
        Operator = Client(address);
        Anonymous = Client(address);
    }

    /// <summary>A client of the service (over HTTPS, one that trusts the run's own authority).</summary>
    private static HttpClient Client(Uri address) =>
        address.Scheme == "https" ? TestCertificates.Instance.HttpsClient(address) : new HttpClient { BaseAddress = address };

    /// <summary>The private part of the named admin key the bootstrap key created at start (the
    /// <see cref="Operator"/> client's key); the bootstrap key itself only creates admin keys.</summary>
    public string OperatorKey { get; private set; } = ApiKey;

    /// <summary>Creates the named admin key the operator client uses, with the bootstrap key, as an
    /// operator setting up a new installation would. Without a usable bootstrap key (a test turned it
    /// off) the operator client keeps the configured key.</summary>
    private async Task CreateOperatorKeyAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys")
        {
            Content = new StringContent("""{"name":"test-admin","roles":["orian-admin"]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await Anonymous.SendAsync(request);
        if (response.StatusCode == System.Net.HttpStatusCode.Created)
        {
            OperatorKey = (await JsonAsync(response)).GetProperty("private_key").GetString()!;
        }

        Operator.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
    }

    /// <summary>The payload hash key the test services run with (not the Development one).</summary>
    public const string HashKeyId = "test-1";

    public static readonly string HashKey = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("orian test payload hash key"u8));

    public static AuthenticationHeaderValue PpsCredentials => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PpsUser}:{PpsPassword}")));

    public Uri Address { get; }
    public HttpClient Pps { get; }
    public HttpClient Operator { get; }
    public HttpClient Anonymous { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<TestService> StartAsync(
        IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, string environment = "Testing")
    {
        var defaults = new Dictionary<string, string?>
        {
            ["Orian:Ingress:Username"] = PpsUser,
            ["Orian:Ingress:Password"] = PpsPassword,
            ["Orian:Admin:ApiKey"] = ApiKey,
            ["Orian:CardData:HashKeyId"] = HashKeyId,
            ["Orian:CardData:HashKey"] = HashKey,
            // Test receivers listen on loopback over http: allowed here, refused by default.
            ["Orian:Outbox:AllowInsecureHttp"] = "true",
            ["Orian:Outbox:AllowedPrivateNetworks"] = LoopbackNetworks,
            // Readable lines in the test log (the default outside Development is JSON: ConsoleFormTests).
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings)
        {
            defaults[key] = value;
        }

        // The key ring in a folder of its own per database, so that a service restarted on the same
        // database reads the same keys (a test that wants the ring in the database sets it empty).
        if (!defaults.ContainsKey("Orian:DataProtection:KeysFolder"))
        {
            defaults["Orian:DataProtection:KeysFolder"] = KeysFolderFor(defaults.GetValueOrDefault("Orian:Storage:ConnectionString") ?? "");
        }

        // A test can ask for another environment through the settings ("__environment").
        if (defaults.Remove("__environment", out var chosen) && chosen is not null)
        {
            environment = chosen;
        }

        // ... and other addresses ("__urls", e.g. https://127.0.0.1:0).
        var urls = defaults.Remove("__urls", out var chosenUrls) && chosenUrls is not null ? chosenUrls : "http://127.0.0.1:0";
        var app = OrianApp.Build(["--urls", urls, "--environment", environment], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            services?.Invoke(builder.Services);
        }, defaults);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var service = new TestService(app, new Uri(address));
        await service.CreateOperatorKeyAsync();
        return service;
    }

    /// <summary>The key ring folder the test services on one database share.</summary>
    public static string KeysFolderFor(string connectionString) =>
        Path.Combine(Path.GetTempPath(), "orian-test-keys",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(connectionString)))[..16]);

    /// <summary>The service on a fresh SQLite file of its own, removed when the service is disposed.</summary>
    public static Task<TestService> StartSqliteAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null) =>
        StartOwningAsync(new Sqlite(), "api", services, settings);

    /// <summary>The service on a fresh PostgreSQL database of its own, dropped when the service is disposed.</summary>
    public static Task<TestService> StartPostgresAsync(string label, Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null) =>
        StartOwningAsync(new Postgres(), label, services, settings);

    private static async Task<TestService> StartOwningAsync(ITestProvider provider, string label, Action<IServiceCollection>? services, Dictionary<string, string?>? settings)
    {
        var database = await provider.CreateAsync(label);
        try
        {
            var service = await database.StartServiceAsync(services, settings);
            service._owned = database;
            return service;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public Task<HttpResponseMessage> PutAsync(Txn txn, string? pathId = null) => PutRawAsync(pathId ?? txn.Id, txn.Json);

    public Task<HttpResponseMessage> PutRawAsync(string pathId, string body, HttpClient? client = null)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        return (client ?? Pps).PutAsync($"/v2/transactions/{Uri.EscapeDataString(pathId)}", content);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    /// <summary>Decisions neither confirmed nor revoked, whatever their deadline, read from the
    /// service's own store (the real one, not a test's wrapper around it).</summary>
    public async Task<int> UnconfirmedDecisionsAsync() =>
        (await Services.GetRequiredService<Orian.Storage.LedgerStore>().GetUnconfirmedDecisionsAsync(DateTimeOffset.MaxValue, null, 10_000, CancellationToken.None)).Count;

    public async Task<JsonElement?> GetJsonOrNullAsync(string path)
    {
        using var response = await Operator.GetAsync(path);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await JsonAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Pps.Dispose();
        Operator.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }
}
