using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orian.Domain;
using Orian.Orchestrator;
using Orian.Outbox;
using Orian.Service.Configuration;
using Orian.Storage;

namespace Orian.Service.Delivery;

/// <summary>
/// Sends instruction status updates to the Payments Orchestrator, authenticated as it documents:
/// an HMAC-signed <c>POST /v1/identity/hmac</c> buys a bearer token, which is cached and
/// replaced <see cref="OrchestratorOptions.TokenRefreshSeconds"/> before it expires (or at once if
/// the Orchestrator refuses it); every call carries <c>x-account-id</c>, <c>x-tenant-id</c> and a
/// <c>x-correlation-id</c> that stays the same across retries of one update.
/// </summary>
internal sealed class OrchestratorClient : IDisposable
{
    private readonly OrchestratorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OrchestratorClient> _logger;
    private readonly HttpClient _client;
    private readonly byte[] _privateKey;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private Token? _token;

    public OrchestratorClient(IOptions<OrchestratorOptions> options, TimeProvider time, ILogger<OrchestratorClient> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _privateKey = _options.Enabled ? Convert.FromBase64String(_options.PrivateKey!) : [];
        // Timeouts come from the dispatcher's Polly pipeline (on the injected clock).
        // The same egress rules as webhooks with the Orchestrator's own allow-list: no internal address
        // unless allowed, no proxy, no redirects, and no answer read beyond its limit (a token answer is
        // the only one read). The options validator has already refused a list that does not parse.
        var egress = Egress.From(_options.AllowedPrivateNetworks).Egress ?? throw new OptionsValidationException(
            OrchestratorOptions.Section, typeof(OrchestratorOptions), ["Orian:Orchestrator:AllowedPrivateNetworks must be comma-separated CIDRs."]);
        var authorities = string.IsNullOrWhiteSpace(_options.CaCertificatePath) ? null : Orian.Service.Security.Certificates.LoadAuthorities(_options.CaCertificatePath);
        _client = new HttpClient(egress.CreateHandler(authorities))
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = Egress.MaxResponseBytes,
            BaseAddress = _options.Enabled ? new Uri(_options.BaseUrl!.TrimEnd('/') + "/") : null,
        };
    }

    /// <summary>Whether this instance can reach the Orchestrator (a base URL is configured).</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>Sends the update an <c>instruction.updated</c> delivery carries. The caller reads
    /// the answer; a refused token is replaced and the call made once more.</summary>
    public async Task<HttpResponseMessage> SendUpdateAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var update = UpdateCall.From(delivery.Payload, delivery.EventId);
        var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await _client.SendAsync(UpdateRequest(update, token), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // Revoked or expired early on the Orchestrator's side: one more try with a new token.
        response.Dispose();
        Log.OrchestratorTokenRefused(_logger);
        Interlocked.CompareExchange(ref _token, null, token);
        token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return await _client.SendAsync(UpdateRequest(update, token), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage UpdateRequest(UpdateCall update, Token token)
    {
        // Checked again at the last moment: an update queued by an older build could carry a dot-only
        // reference, which would walk the Orchestrator's path.
        if (!InstructionStatus.IsValidReference(update.OrderRef) || !InstructionStatus.IsValidReference(update.InstructionRef))
        {
            throw new InvalidOperationException("The update's order or instruction reference is not an identifier; it is not sent.");
        }

        var path = _options.UpdatePath
            .Replace("{orderRef}", Uri.EscapeDataString(update.OrderRef), StringComparison.Ordinal)
            .Replace("{instructionRef}", Uri.EscapeDataString(update.InstructionRef), StringComparison.Ordinal)
            .TrimStart('/');
        var request = new HttpRequestMessage(new HttpMethod(_options.UpdateMethod), path) { Content = new ByteArrayContent(update.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        AddIdentityHeaders(request, update.CorrelationId);
        return request;
    }

    private void AddIdentityHeaders(HttpRequestMessage request, string correlationId)
    {
        request.Headers.Add("x-account-id", _options.AccountId!.ToLowerInvariant());
        request.Headers.Add("x-tenant-id", _options.TenantId!.ToLowerInvariant());
        request.Headers.Add("x-correlation-id", correlationId);
    }

    /// <summary>The cached token, or a new one when it is missing or about to expire. Only one
    /// caller at a time asks the Orchestrator; the others wait and share its token.</summary>
    private async Task<Token> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _token) is { } cached && !IsStale(cached))
        {
            return cached;
        }

        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _token) is { } fresh && !IsStale(fresh))
            {
                return fresh;
            }

            var token = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, token);
            Log.OrchestratorToken(_logger, token.ExpiresAt);
            return token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    private bool IsStale(Token token) => _time.GetUtcNow() >= token.ExpiresAt.AddSeconds(-_options.TokenRefreshSeconds);

    private async Task<Token> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var nonce = Guid.NewGuid().ToString("D");
        var epoch = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/identity/hmac") { Content = new ByteArrayContent([]) };
        request.Headers.TryAddWithoutValidation("Authorization", OrchestratorHmac.Header(_privateKey, _options.PublicKey!, nonce, epoch, []));
        AddIdentityHeaders(request, Guid.NewGuid().ToString("D"));
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ExchangeFailedException($"identity: the Orchestrator answered HTTP {(int)response.StatusCode} to the HMAC token request", response.StatusCode);
        }

        var body = await Egress.ReadLimitedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        return Token.Parse(body) ?? throw new ExchangeFailedException("identity: the Orchestrator's token answer has no accessToken and expires (epoch ms)");
    }

    public void Dispose()
    {
        _client.Dispose();
        _tokenGate.Dispose();
    }

    private sealed record Token(string AccessToken, DateTimeOffset ExpiresAt)
    {
        /// <summary>Reads <c>{"accessToken": "...", "expires": "&lt;epoch ms&gt;"}</c> (expires as a
        /// string, as documented, or a number).</summary>
        public static Token? Parse(byte[] body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("accessToken", out var token) || token.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(token.GetString())
                    || !root.TryGetProperty("expires", out var expires))
                {
                    return null;
                }

                long ms;
                if (expires.ValueKind == JsonValueKind.Number ? !expires.TryGetInt64(out ms)
                    : expires.ValueKind != JsonValueKind.String || !long.TryParse(expires.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ms))
                {
                    return null;
                }

                return new Token(token.GetString()!, DateTimeOffset.FromUnixTimeMilliseconds(ms));
            }
            catch (Exception e) when (e is JsonException or ArgumentOutOfRangeException)
            {
                return null;
            }
        }
    }

    /// <summary>The update call an <c>instruction.updated</c> event asks for:
    /// <c>{"status", "transactionId", "version", "amount", "currency", "occurredAt"}</c>, the amount
    /// in major units with the currency's decimals, as the Orchestrator's API takes amounts.</summary>
    private sealed record UpdateCall(string OrderRef, string InstructionRef, byte[] Body, string CorrelationId)
    {
        public static UpdateCall From(string payload, string eventId)
        {
            var data = OutboxPayload.ReadInstructionUpdated(payload);
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("status", data.Status);
                w.WriteString("transactionId", data.TransactionId);
                w.WriteNumber("version", data.Version);
                if (data.Amount?.ToMoney() is { } money)
                {
                    w.WritePropertyName("amount");
                    w.WriteRawValue(money.ToDecimalString());
                    w.WriteString("currency", money.Currency);
                }
                else
                {
                    w.WriteNull("amount");
                    w.WriteNull("currency");
                }

                w.WriteString("occurredAt", data.OccurredAt);
                w.WriteEndObject();
            }

            return new UpdateCall(data.OrderRef, data.InstructionRef, buffer.WrittenSpan.ToArray(), CorrelationIdFor(eventId));
        }

        /// <summary>A UUID derived from the event id: the same for every retry of one update.</summary>
        private static string CorrelationIdFor(string eventId) =>
            new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(eventId)).AsSpan(0, 16)).ToString("D");
    }
}
