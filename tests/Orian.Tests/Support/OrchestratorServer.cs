using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Orian.Tests.Support;

/// <summary>
/// A stand-in Payments Orchestrator on Kestrel at 127.0.0.1 that authenticates as the Orchestrator's API documentation
/// documents, computed here independently of the service's code: <c>POST /v1/identity/hmac</c>
/// checks the <c>Hmac</c> header (public key, signature, a 5-minute window on its own clock, and no
/// nonce twice) and issues a bearer token; the status update call needs a live token and the
/// account, tenant and correlation headers. Records what it accepted and why it refused.
/// </summary>
internal sealed class OrchestratorServer : IAsyncDisposable
{
    public const string PublicKey = "pk_orian_test";
    public const string AccountId = "0b6a8f0e-6d2c-4a59-9c7e-2f1d3a4b5c6d";
    public const string TenantId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly byte[] _privateKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _nonces = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<int> _script = new();
    private int _identityCalls;
    private TaskCompletionSource _updated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OrchestratorServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    public string PrivateKeyBase64 => Convert.ToBase64String(_privateKey);

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>How long the tokens it issues live. Default one hour.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public int IdentityCalls => Volatile.Read(ref _identityCalls);

    public ConcurrentQueue<Update> Updates { get; } = new();

    /// <summary>Completes when the next update call has been accepted.</summary>
    public Task NextUpdate => _updated.Task;

    /// <summary>Why requests were refused (for assertions and for failure messages).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Settings that point the service at this server.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Orian:Orchestrator:BaseUrl"] = BaseUrl,
        ["Orian:Orchestrator:PublicKey"] = PublicKey,
        ["Orian:Orchestrator:PrivateKey"] = PrivateKeyBase64,
        ["Orian:Orchestrator:AccountId"] = AccountId,
        ["Orian:Orchestrator:TenantId"] = TenantId,
        ["Orian:Orchestrator:AllowedPrivateNetworks"] = TestService.LoopbackNetworks,
        ["Orian:Orchestrator:CaCertificatePath"] = TestCertificates.Instance.AuthorityPath,
    };

    public static async Task<OrchestratorServer> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // HTTPS, as outside Development: a certificate from the run's own authority, which the service
        // is told to trust through Orian:Orchestrator:CaCertificatePath.
        var certificates = TestCertificates.Instance;
        using var pem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certificates.ServerCertificatePath, certificates.ServerKeyPath);
        var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(pem.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h => h.ServerCertificate = certificate));
        builder.WebHost.UseUrls("https://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new OrchestratorServer(app, clock);
        app.MapPost("/v1/identity/hmac", (Delegate)server.IdentityAsync);
        app.MapPut("/v2/order-management/{orderRef}/instruction/{instructionRef}/status", (Delegate)server.UpdateAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>The next <paramref name="times"/> accepted update calls answer <paramref name="status"/>.</summary>
    public void Respond(int times, int status)
    {
        for (var i = 0; i < times; i++)
        {
            _script.Enqueue(status);
        }
    }

    /// <summary>Updates answered with a success, in the order they were answered.</summary>
    public ConcurrentQueue<Update> Accepted { get; } = new();

    /// <summary>When no scripted answer is left: the status to answer an update with (200 when null).</summary>
    public Func<Update, int>? Otherwise { get; set; }

    /// <summary>Forgets every token it issued, as if they had been revoked.</summary>
    public void RevokeTokens() => _tokens.Clear();

    /// <summary>The documented formula, written out here for the check.</summary>
    public static string ExpectedSignature(byte[] privateKey, string publicKey, string nonce, string epoch, byte[] body)
    {
        var hashedBody = body.Length == 0 ? "" : Convert.ToBase64String(SHA256.HashData(body));
        using var hmac = new HMACSHA256(privateKey);
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{publicKey}:{nonce}:{epoch}:{hashedBody}")));
    }

    private async Task<IResult> IdentityAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Hmac ", StringComparison.Ordinal))
        {
            return Refuse("identity: no Hmac authorization header");
        }

        var parts = header["Hmac ".Length..].Split(':');
        if (parts.Length != 4)
        {
            return Refuse("identity: the header is not publicKey:nonce:epoch:signature");
        }

        var (publicKey, nonce, epoch, signature) = (parts[0], parts[1], parts[2], parts[3]);
        if (publicKey != PublicKey)
        {
            return Refuse("identity: unknown public key");
        }

        if (!long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs((_clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).TotalMinutes) > 5)
        {
            return Refuse("identity: the timestamp is outside the 5-minute window");
        }

        var expected = ExpectedSignature(_privateKey, publicKey, nonce, epoch, body);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return Refuse("identity: the signature does not match");
        }

        if (!_nonces.TryAdd(nonce, 0))
        {
            return Refuse("identity: the nonce was used before");
        }

        Interlocked.Increment(ref _identityCalls);
        var token = "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = _clock.GetUtcNow() + TokenLifetime;
        _tokens[token] = expires;
        return Results.Json(new Dictionary<string, string>
        {
            ["accessToken"] = token,
            ["expires"] = expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }, statusCode: 201);
    }

    private async Task<IResult> UpdateAsync(HttpContext context, string orderRef, string instructionRef)
    {
        var body = await ReadBodyAsync(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            || !_tokens.TryGetValue(authorization["Bearer ".Length..], out var expires) || _clock.GetUtcNow() >= expires)
        {
            return Refuse("update: no live bearer token");
        }

        var headers = context.Request.Headers;
        if (headers["x-account-id"] != AccountId || headers["x-tenant-id"] != TenantId || !Guid.TryParseExact(headers["x-correlation-id"], "D", out _))
        {
            Refusals.Enqueue("update: x-account-id, x-tenant-id or x-correlation-id missing or wrong");
            return Results.StatusCode(400);
        }

        var update = new Update(orderRef, instructionRef, JsonDocument.Parse(body).RootElement.Clone(), headers["x-correlation-id"].ToString());
        Updates.Enqueue(update);
        var updated = _updated;
        _updated = new(TaskCreationOptions.RunContinuationsAsynchronously);
        updated.TrySetResult();
        var status = _script.TryDequeue(out var scripted) ? scripted : Otherwise?.Invoke(update) ?? 200;
        if (status is >= 200 and < 300)
        {
            Accepted.Enqueue(update);
        }

        return Results.StatusCode(status);
    }

    private IResult Refuse(string why)
    {
        Refusals.Enqueue(why);
        return Results.StatusCode(401);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Update(string OrderRef, string InstructionRef, JsonElement Body, string CorrelationId)
    {
        public string Status => Body.GetProperty("status").GetString()!;
        public long Version => Body.GetProperty("version").GetInt64();
    }
}
