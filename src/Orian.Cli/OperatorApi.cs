using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orian.Api;
using Orian.Cli.Replay;
using Orian.Orchestrator;

namespace Orian.Cli;

/// <summary>How the CLI proves who it is to the operator API: a key pair, exchanged for a bearer token
/// (HMAC, as the Payments Orchestrator does it), or a key sent as <c>X-Api-Key</c>.</summary>
internal abstract record OperatorCredential
{
    private OperatorCredential()
    {
    }

    public sealed record ApiKey(string Key) : OperatorCredential;

    public sealed record KeyPair(string PublicKey, string PrivateKeyBase64) : OperatorCredential;
}

/// <summary>The service refused a request: its status and the problem body's detail.</summary>
internal sealed class OperatorApiException(HttpStatusCode status, string detail)
    : Exception($"{(int)status}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public string Detail { get; } = detail;
}

/// <summary>
/// The operator API as typed calls, over the service's own response types (<see cref="Orian.Api"/>):
/// what the service writes is what this reads, and an answer that does not have the type's shape is an
/// error here (<see cref="OrianApiJson.Reading"/>), not a blank cell in a table. A refusal is an
/// <see cref="OperatorApiException"/>; a service that cannot be reached, an <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class OperatorApi : IDisposable
{
    private readonly HttpClient _http;

    private OperatorApi(HttpClient http) => _http = http;

    /// <summary>A client for <paramref name="target"/>: with a key pair, a bearer token bought with the HMAC
    /// exchange first (a refusal names the key pair and the clock, the usual causes).</summary>
    public static async Task<OperatorApi> ConnectAsync(Uri target, OperatorCredential credential, TimeProvider time, CancellationToken ct)
    {
        var http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            switch (credential)
            {
                case OperatorCredential.ApiKey key:
                    http.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
                    break;
                case OperatorCredential.KeyPair pair:
                    var token = await ExchangeAsync(http, pair, time, ct);
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
                    break;
            }

            return new OperatorApi(http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    private static async Task<AccessTokenResponse> ExchangeAsync(HttpClient http, OperatorCredential.KeyPair pair, TimeProvider time, CancellationToken ct)
    {
        var nonce = Guid.NewGuid().ToString("D");
        var epoch = time.GetUtcNow().ToUnixTimeSeconds();
        using var exchange = new HttpRequestMessage(HttpMethod.Post, "v1/identity/hmac") { Content = new ByteArrayContent([]) };
        exchange.Headers.TryAddWithoutValidation("Authorization", OrchestratorHmac.Header(Convert.FromBase64String(pair.PrivateKeyBase64), pair.PublicKey, nonce, epoch, []));
        using var answer = await http.SendAsync(exchange, ct);
        if (answer.StatusCode != HttpStatusCode.Created)
        {
            throw new OperatorApiException(answer.StatusCode, "the HMAC exchange was refused: check the key pair and this machine's clock");
        }

        return await ReadAsync(answer, Info<AccessTokenResponse>(), ct);
    }

    public Task<AccountResponse> AccountAsync(string accountNo, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"v1/accounts/{Uri.EscapeDataString(accountNo)}", Info<AccountResponse>(), ct);

    public Task<TransactionResponse> TransactionAsync(string id, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"v1/transactions/{Uri.EscapeDataString(id)}", Info<TransactionResponse>(), ct);

    public Task<DeliveryListResponse> DeliveriesAsync(string? state, int limit, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"v1/deliveries?limit={limit}" + (state is null ? "" : $"&state={Uri.EscapeDataString(state)}"), Info<DeliveryListResponse>(), ct);

    public Task<DeliveryStatsResponse> DeliveryStatsAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/deliveries/stats", Info<DeliveryStatsResponse>(), ct);

    /// <summary>Re-drives one dead-lettered delivery, or every one when <paramref name="id"/> is null.</summary>
    public Task<RedriveResponse> RedriveAsync(long? id, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, id is { } one ? $"v1/deliveries/{one}/redrive" : "v1/deliveries/redrive", Info<RedriveResponse>(), ct);

    public Task<ApiKeyCreatedResponse> CreateKeyAsync(ApiKeyRequestModel request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "v1/api-keys", Info<ApiKeyCreatedResponse>(), ct,
            JsonContent(JsonSerializer.SerializeToUtf8Bytes(request, OrianApiJsonContext.Default.ApiKeyRequestModel)));

    public Task<ApiKeyListResponse> KeysAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/api-keys", Info<ApiKeyListResponse>(), ct);

    public Task RevokeKeyAsync(string id, CancellationToken ct) =>
        SendAsync<object?>(HttpMethod.Delete, $"v1/api-keys/{Uri.EscapeDataString(id)}", answer: null, ct);

    public Task<AuditPageResponse> AuditAsync(long after, int limit, string? target, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"v1/audit?after={after}&limit={limit}" + (target is null ? "" : $"&target={Uri.EscapeDataString(target)}"),
            Info<AuditPageResponse>(), ct);

    public Task<StatusResponse> StatusAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/status", Info<StatusResponse>(), ct);

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T>? answer, CancellationToken ct, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        using var response = await _http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new OperatorApiException(response.StatusCode, ReplayRunner.ProblemDetail(text) ?? $"HTTP {(int)response.StatusCode}");
        }

        return answer is null ? default! : await ReadAsync(response, answer, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> answer, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        return await JsonSerializer.DeserializeAsync(stream, answer, ct)
            ?? throw new JsonException($"the service answered null where a {typeof(T).Name} was expected");
    }

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)OrianApiJson.Reading.GetTypeInfo(typeof(T));

    private static ByteArrayContent JsonContent(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        return content;
    }
}
