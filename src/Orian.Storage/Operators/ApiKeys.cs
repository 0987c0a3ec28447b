using Dapper;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>An operator API key. <see cref="PrivateKey"/> is filled only where the key itself is
/// needed (creating it; checking an HMAC exchange), never on a list or a lookup by hash.</summary>
public sealed class ApiKeyRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Roles { get; set; } = "";
    public string PublicKey { get; set; } = "";
    public string PrivateKey { get; set; } = "";
    public string KeyHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary><see cref="LastUsedAt"/> is written at most this often per key.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>Whether <see cref="LastUsedAt"/> is due to be written at <paramref name="now"/>
    /// (the caller has the row already: no read to decide).</summary>
    public bool NeedsTouch(DateTimeOffset now) => LastUsedAt is not { } last || last < now - TouchInterval;

    /// <summary>Whether the key may authenticate at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expires || expires > now);

    internal const string Columns = "id, name, roles, public_key, key_hash, created_at, expires_at, revoked_at, last_used_at";
}

/// <summary>API keys, the bearer tokens bought with them, and the nonces of those exchanges.</summary>
public interface IApiKeyStore
{
    Task CreateAsync(ApiKeyRow key, OperatorContext who, CancellationToken cancellationToken);
    Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the key and deletes its tokens, at once for every instance. False if there is no such key.</summary>
    Task<bool> RevokeAsync(string id, OperatorContext who, CancellationToken cancellationToken);

    Task<ApiKeyRow?> FindByHashAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>The key with this public key, its private key decrypted (for an HMAC check).</summary>
    Task<ApiKeyRow?> FindByPublicKeyAsync(string publicKey, CancellationToken cancellationToken);

    /// <summary>The key of a bearer token that has not expired at <paramref name="now"/>.</summary>
    Task<ApiKeyRow?> FindByTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a nonce of an HMAC exchange; false if this key used it before. Nonces seen
    /// before <paramref name="forgetBefore"/> are forgotten (their exchanges are out of the time window anyway).</summary>
    Task<bool> UseNonceAsync(string publicKey, string nonce, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken);

    Task IssueTokenAsync(string tokenHash, string keyId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Notes that a key was used (at most once a minute per key: callers holding the row
    /// ask <see cref="ApiKeyRow.NeedsTouch"/> first).</summary>
    Task TouchAsync(string keyId, DateTimeOffset now, CancellationToken cancellationToken);
}

public sealed class ApiKeys(SqlDatabase database, ISecretProtector secrets) : IApiKeyStore
{
    private const string Insert =
        "INSERT INTO api_keys (id, name, roles, public_key, private_key, key_hash, created_at, expires_at) " +
        "VALUES (@Id, @Name, @Roles, @PublicKey, @ProtectedKey, @KeyHash, @CreatedAt, @ExpiresAt)";

    private const string SelectAll = $"SELECT {ApiKeyRow.Columns} FROM api_keys ORDER BY created_at, id";
    private const string SelectById = $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE id = @id";
    private const string SelectByHash = $"SELECT {ApiKeyRow.Columns} FROM api_keys WHERE key_hash = @keyHash";
    private const string SelectByPublicKey = $"SELECT {ApiKeyRow.Columns}, private_key FROM api_keys WHERE public_key = @publicKey";

    private const string SelectByToken =
        "SELECT k.id, k.name, k.roles, k.public_key, k.key_hash, k.created_at, k.expires_at, k.revoked_at, k.last_used_at " +
        "FROM access_tokens t JOIN api_keys k ON k.id = t.key_id WHERE t.token_hash = @tokenHash AND t.expires_at > @now";

    private const string Revoke = "UPDATE api_keys SET revoked_at = @at WHERE id = @id";
    private const string DeleteTokensOfKey = "DELETE FROM access_tokens WHERE key_id = @id";
    private const string ForgetNonces = "DELETE FROM hmac_nonces WHERE seen_at < @forgetBefore";
    private const string DeleteExpiredTokens = "DELETE FROM access_tokens WHERE expires_at <= @now";
    private const string InsertToken = "INSERT INTO access_tokens (token_hash, key_id, created_at, expires_at) VALUES (@tokenHash, @keyId, @now, @expiresAt)";
    private const string Touch = "UPDATE api_keys SET last_used_at = @now WHERE id = @keyId AND (last_used_at IS NULL OR last_used_at < @threshold)";

    private readonly string _insertNonce = database.Dialect.InsertIfAbsent("hmac_nonces",
        [("public_key", "@publicKey"), ("nonce", "@nonce"), ("seen_at", "@now")], "public_key", "nonce");

    public async Task CreateAsync(ApiKeyRow key, OperatorContext who, CancellationToken cancellationToken)
    {
        var protectedKey = secrets.Protect(key.PrivateKey); // before the transaction: the key ring may write
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            Insert,
            new { key.Id, key.Name, key.Roles, key.PublicKey, ProtectedKey = protectedKey, key.KeyHash, key.CreatedAt, key.ExpiresAt },
            scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditTrail.AppendAsync(scope.Connection, scope.Transaction, who, "api_key.create", $"api_key:{key.Id}", null, Snapshot(key), cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            SelectAll, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<bool> RevokeAsync(string id, OperatorContext who, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var before = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            SelectById, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        if (before.RevokedAt is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(Revoke, new { id, at = who.At }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(DeleteTokensOfKey, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var after = Snapshot(before);
            after["revoked_at"] = who.At;
            await AuditTrail.AppendAsync(connection, transaction, who, "api_key.revoke", $"api_key:{id}", Snapshot(before), after, cancellationToken).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task<ApiKeyRow?> FindByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        SingleAsync(SelectByHash, new { keyHash }, cancellationToken);

    public async Task<ApiKeyRow?> FindByPublicKeyAsync(string publicKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            SelectByPublicKey, new { publicKey }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is not null)
        {
            row.PrivateKey = secrets.Unprotect(row.PrivateKey);
        }

        return row;
    }

    public Task<ApiKeyRow?> FindByTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        SingleAsync(
            SelectByToken,
            new { tokenHash, now }, cancellationToken);

    public async Task<bool> UseNonceAsync(string publicKey, string nonce, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(ForgetNonces,
            new { forgetBefore }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var fresh = await scope.Connection.ExecuteAsync(new CommandDefinition(_insertNonce, new { publicKey, nonce, now }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return fresh;
    }

    public async Task IssueTokenAsync(string tokenHash, string keyId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(DeleteExpiredTokens, new { now }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            InsertToken,
            new { tokenHash, keyId, now, expiresAt }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task TouchAsync(string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // On the writer's turn (SQLite: no busy-wait beside the ledger); a no-op within the minute.
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            Touch,
            new { keyId, now, threshold = now - ApiKeyRow.TouchInterval }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiKeyRow?> SingleAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>What the audit trail keeps of a key: never the private key or its hash.</summary>
    private static Dictionary<string, object?> Snapshot(ApiKeyRow key) => new()
    {
        ["id"] = key.Id,
        ["name"] = key.Name,
        ["roles"] = key.RoleList,
        ["public_key"] = key.PublicKey,
        ["expires_at"] = key.ExpiresAt,
        ["revoked_at"] = key.RevokedAt,
    };
}
