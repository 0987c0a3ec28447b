using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orian.Api;
using Orian.Edge;
using Orian.Orchestrator;
using Orian.Security;
using Orian.Service.Configuration;
using Orian.Service.Security;
using Orian.Storage;

namespace Orian.Service.Endpoints;

/// <summary>
/// Operator identities: API keys (<c>orian-admin</c>), the HMAC exchange that buys a bearer token
/// with a key pair (the Payments Orchestrator's scheme), and the audit trail (<c>orian-admin</c>).
/// </summary>
internal static class IdentityApi
{
    /// <summary>How far an HMAC request's time may be from ours, either way.</summary>
    public static readonly TimeSpan HmacWindow = TimeSpan.FromMinutes(5);

    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxNameLength = 100;

    public static void MapIdentityApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapOperatorGroup("/v1").WithTags("Operator identities");
        v1.MapPost("/api-keys", CreateKeyAsync).WithName("CreateApiKey").Needs(OperatorRoles.Admin, OperatorRoles.Bootstrap)
            .Documents<ApiKeyRequestModel>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        v1.MapGet("/api-keys", ListKeysAsync).WithName("ListApiKeys").Needs(OperatorRoles.Admin);
        v1.MapDelete("/api-keys/{id}", RevokeKeyAsync).WithName("RevokeApiKey").Needs(OperatorRoles.Admin).ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/audit", ListAuditAsync).WithName("ListAudit").Needs(OperatorRoles.Admin).ProducesProblem(StatusCodes.Status400BadRequest);

        // Not in the operator group: this is how a key pair authenticates in the first place.
        app.MapPost("/v1/identity/hmac", ExchangeAsync).RequireRateLimiting(AuthThrottle.Hmac).WithName("ExchangeHmac").WithTags("Operator identities")
            .WithDescription("Authorization: Hmac {public_key}:{nonce}:{epochSeconds}:{signature}, the signature Base64(HMAC-SHA256(private key, \"{public_key}:{nonce}:{epochSeconds}:{hashedBody}\")); answers a bearer token holding the key's roles, for the operator API.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Ok<ApiKeyListResponse>> ListKeysAsync(IApiKeyStore keys, CancellationToken ct) =>
        TypedResults.Ok(new ApiKeyListResponse((await keys.ListAsync(ct)).Select(ToResponse).ToList()));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(string id, HttpContext context, IApiKeyStore keys, TimeProvider time, CancellationToken ct) =>
        await keys.RevokeAsync(id, OperatorIdentity.Of(context).At(time.GetUtcNow()), ct) ? TypedResults.NoContent() : Problems.NotFound($"API key '{id}'");

    private static async Task<Results<Created<ApiKeyCreatedResponse>, ProblemHttpResult>> CreateKeyAsync(HttpContext context, IApiKeyStore keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var (document, problem) = await RequestBody.ReadJsonObjectAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        using var _ = document;
        var root = document.RootElement;
        if (!root.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String || !TextRules.IsCleanText(n.GetString(), MaxNameLength) || n.GetString()!.Trim().Length == 0)
        {
            return Problems.InvalidField("name", TextRules.Explain("name", MaxNameLength, allowLineBreaks: false));
        }

        if (!root.TryGetProperty("roles", out var r) || r.ValueKind != JsonValueKind.Array || r.GetArrayLength() == 0)
        {
            return Problems.InvalidField("roles", $"'roles' is required: a non-empty array of {string.Join(", ", OperatorRoles.All)}.");
        }

        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var role in r.EnumerateArray())
        {
            if (role.ValueKind != JsonValueKind.String || !OperatorRoles.IsKnown(role.GetString()!))
            {
                return Problems.InvalidField("roles", $"{role.GetRawText()} is not a role; use {string.Join(", ", OperatorRoles.All)}.");
            }

            roles.Add(role.GetString()!);
        }

        if (OperatorIdentity.Of(context).IsBootstrap && !roles.Contains(OperatorRoles.Admin))
        {
            return Problems.Forbidden(OperatorRoles.Admin, "The bootstrap key creates named admin keys only: include 'orian-admin' in 'roles', then create narrower keys with that key.");
        }

        var now = time.GetUtcNow();
        DateTimeOffset? expiresAt = null;
        if (root.TryGetProperty("expires_at", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) || parsed <= now)
            {
                return Problems.InvalidField("expires_at", "'expires_at' must be an ISO 8601 time in the future.");
            }

            expiresAt = parsed.ToUniversalTime();
        }

        var privateKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKeyRow
        {
            Id = "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = n.GetString()!.Trim(),
            Roles = string.Join(',', roles),
            PublicKey = "pk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            PrivateKey = privateKey,
            KeyHash = OperatorAuthenticator.Hash(privateKey),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        await keys.CreateAsync(key, OperatorIdentity.Of(context).At(now), cancellationToken);
        return TypedResults.Created($"/v1/api-keys/{key.Id}",
            new ApiKeyCreatedResponse(key.Id, key.Name, key.RoleList, key.PublicKey, privateKey, key.CreatedAt, key.ExpiresAt));
    }

    /// <summary>
    /// <c>POST /v1/identity/hmac</c> with <c>Authorization: Hmac {publicKey}:{nonce}:{epochSeconds}:{signature}</c>
    /// and an empty body: the signature must be the key pair's HMAC of the request, its time within
    /// five minutes of ours, and its nonce new for this key. Answers 201 with a bearer token.
    /// </summary>
    private static async Task<Results<Created<AccessTokenResponse>, ProblemHttpResult>> ExchangeAsync(
        HttpContext context, IApiKeyStore keys, TimeProvider time, IOptions<AdminOptions> admin, AuthFailures failures, CancellationToken cancellationToken)
    {
        // Every refusal is counted and logged (at most once a minute per source) like any other
        // authentication failure; the answer does not say which check failed.
        ProblemHttpResult Refuse(string reason)
        {
            failures.Record(context, "hmac", reason);
            return Problems.Unauthorized("The HMAC is missing, malformed, stale, reused or does not match an active key.");
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Hmac ", StringComparison.Ordinal) || header.Length > 1024)
        {
            return Refuse("no_hmac");
        }

        var parts = header["Hmac ".Length..].Split(':');
        if (parts.Length != 4 || !TextRules.IsIdentifier(parts[0]) || !TextRules.IsIdentifier(parts[1])
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) || parts[3].Length > 100)
        {
            return Refuse("malformed");
        }

        using var body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge(MaxBodyBytes);
        }

        var now = time.GetUtcNow();
        var key = await keys.FindByPublicKeyAsync(parts[0], cancellationToken);
        if (key is null || !key.IsActive(now) || Math.Abs(now.ToUnixTimeSeconds() - epoch) > (long)HmacWindow.TotalSeconds)
        {
            return Refuse(key is null || !key.IsActive(now) ? "unknown_key" : "stale");
        }

        var expected = OrchestratorHmac.Signature(Convert.FromBase64String(key.PrivateKey), key.PublicKey, parts[1], epoch, body.Span);
        if (!SecretComparer.Matches(parts[3], expected))
        {
            return Refuse("bad_signature");
        }

        // The nonce last: a request with a wrong signature must not use up someone's nonce.
        if (!await keys.UseNonceAsync(key.PublicKey, parts[1], now, now - 2 * HmacWindow, cancellationToken))
        {
            return Refuse("reused_nonce");
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = now.AddSeconds(admin.Value.TokenLifetimeSeconds);
        await keys.IssueTokenAsync(OperatorAuthenticator.Hash(token), key.Id, now, expires, cancellationToken);
        if (key.NeedsTouch(now))
        {
            await keys.TouchAsync(key.Id, now, cancellationToken);
        }

        return TypedResults.Created((string?)null, new AccessTokenResponse(token, expires.ToUnixTimeMilliseconds()));
    }

    private static async Task<Results<Ok<AuditPageResponse>, ProblemHttpResult>> ListAuditAsync(IAuditLog audit, CancellationToken cancellationToken, long after = 0, int limit = 100, string? target = null)
    {
        if (limit is < 1 or > OperatorEndpoints.MaxPageSize)
        {
            return Problems.InvalidField("limit", $"'limit' must be between 1 and {OperatorEndpoints.MaxPageSize}.");
        }

        if (target is not null && !TextRules.IsCleanText(target, 300))
        {
            return Problems.InvalidField("target", TextRules.Explain("target", 300, allowLineBreaks: false));
        }

        var rows = await audit.ListAsync(after, limit, target, cancellationToken);
        return TypedResults.Ok(new AuditPageResponse(rows.Select(a => new AuditEntryModel(
            a.Id, a.At, a.KeyId, a.KeyName, a.Action, a.Target, Json(a.BeforeJson), Json(a.AfterJson), a.TraceId)).ToList(), rows.Count == limit ? rows[^1].Id : null));
    }

    private static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static ApiKeyResponse ToResponse(ApiKeyRow k) =>
        new(k.Id, k.Name, k.RoleList, k.PublicKey, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt);
}
