using Dapper;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>
/// Tenants' webhook endpoints (the Orchestrator's destination row is not one of them). Signing
/// secrets are stored encrypted and never read back here: only the dispatcher's claim decrypts them.
/// A deleted endpoint is kept, disabled and marked deleted, so its deliveries and audit history stay
/// readable; its pending deliveries are dead-lettered with it and cannot be re-driven.
/// </summary>
public sealed class WebhookEndpoints(SqlDatabase database, ISecretProtector secrets) : IWebhookEndpointStore
{
    /// <summary>The columns operators see: no secret.</summary>
    private const string PublicColumns =
        "id, url, events, description, previous_secret_expires_at, status, disabled_reason, created_at, updated_at";

    private const string Insert =
        $"INSERT INTO webhook_endpoints ({OutboxSql.EndpointColumns}) " +
        "VALUES (@Id, @Url, @Events, @Description, @Secret, @PreviousSecret, @PreviousSecretExpiresAt, @Status, @DisabledReason, @CreatedAt, @UpdatedAt)";

    private const string SelectOne = $"SELECT {PublicColumns} FROM webhook_endpoints WHERE id = @id AND kind = 'webhook' AND deleted_at IS NULL";
    private const string SelectAll = $"SELECT {PublicColumns} FROM webhook_endpoints WHERE kind = 'webhook' AND deleted_at IS NULL ORDER BY created_at, id";
    private const string MarkDeleted = "UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = 'deleted', deleted_at = @at, updated_at = @at WHERE id = @id";

    private const string KillPending =
        "UPDATE webhook_deliveries SET state = 'dead', last_error = 'endpoint deleted', lease_owner = NULL, lease_until = NULL WHERE endpoint_id = @id AND state = 'pending'";

    private const string Rotate =
        "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = @previousExpiresAt, secret = @newSecret, updated_at = @now " +
        "WHERE id = @id AND kind = 'webhook' AND deleted_at IS NULL";

    private const string SelectSecrets = "SELECT id, secret, previous_secret FROM webhook_endpoints WHERE kind = 'webhook'";
    private const string UpdateSecrets = "UPDATE webhook_endpoints SET secret = @secret, previous_secret = @previous WHERE id = @endpointId";
    private const string SelectPrivateKeys = "SELECT id, private_key FROM api_keys";
    private const string UpdatePrivateKey = "UPDATE api_keys SET private_key = @privateKey WHERE id = @keyId";

    public async Task CreateEndpointAsync(WebhookEndpointRow endpoint, OperatorContext who, CancellationToken cancellationToken)
    {
        // Encrypted before the write transaction opens: the key ring may need to write its first key.
        var secret = secrets.Protect(endpoint.Secret);
        var previousSecret = endpoint.PreviousSecret is { } previous ? secrets.Protect(previous) : null;
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            Insert,
            new
            {
                endpoint.Id, endpoint.Url, endpoint.Events, endpoint.Description, Secret = secret, PreviousSecret = previousSecret,
                endpoint.PreviousSecretExpiresAt, endpoint.Status, endpoint.DisabledReason, endpoint.CreatedAt, endpoint.UpdatedAt,
            }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditTrail.AppendAsync(scope.Connection, scope.Transaction, who, "webhook_endpoint.create", Target(endpoint.Id), null, endpoint.Snapshot(), cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<WebhookEndpointRow?> GetEndpointAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<WebhookEndpointRow>(new CommandDefinition(
            SelectOne, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WebhookEndpointRow>> ListEndpointsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<WebhookEndpointRow>(new CommandDefinition(
            SelectAll, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<bool> DeleteEndpointAsync(string id, OperatorContext who, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var before = await connection.QuerySingleOrDefaultAsync<WebhookEndpointRow>(new CommandDefinition(
            SelectOne, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            MarkDeleted,
            new { id, at = who.At }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var dead = await connection.ExecuteAsync(new CommandDefinition(
            KillPending,
            new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditTrail.AppendAsync(connection, transaction, who, "webhook_endpoint.delete", Target(id), before.Snapshot(),
            new { status = "disabled", deleted_at = who.At, pending_deliveries_dead_lettered = dead }, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> RotateSecretAsync(string id, string newSecret, DateTimeOffset previousExpiresAt, OperatorContext who, CancellationToken cancellationToken)
    {
        var protectedSecret = secrets.Protect(newSecret);
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var rotated = await scope.Connection.ExecuteAsync(new CommandDefinition(
            Rotate,
            new { id, newSecret = protectedSecret, previousExpiresAt, now = who.At }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
        if (rotated)
        {
            await AuditTrail.AppendAsync(scope.Connection, scope.Transaction, who, "webhook_endpoint.rotate_secret", Target(id), null,
                new { previous_secret_expires_at = previousExpiresAt }, cancellationToken).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rotated;
    }

    /// <summary>Writes again, under the current key ring, every stored secret that is in clear (an
    /// older build's) or under the ring an older build kept in the database: webhook secrets and API key
    /// private keys, in one transaction. Run at start-up, after the schema is current; returns how many
    /// rows it changed.</summary>
    public async Task<int> ProtectStoredSecretsAsync(CancellationToken cancellationToken)
    {
        secrets.Protect("key ring warm-up"); // the first key is created now, outside any transaction
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        string? Again(string? stored) => stored is { Length: > 0 } && secrets.NeedsReprotecting(stored) ? secrets.Protect(secrets.Unprotect(stored)) : stored;

        var endpoints = (await connection.QueryAsync<(string Id, string Secret, string? PreviousSecret)>(new CommandDefinition(
            SelectSecrets, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .Where(r => secrets.NeedsReprotecting(r.Secret) && r.Secret.Length > 0 || (r.PreviousSecret is { Length: > 0 } p && secrets.NeedsReprotecting(p)))
            .ToList();
        foreach (var (endpointId, secret, previous) in endpoints)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                UpdateSecrets,
                new { endpointId, secret = Again(secret), previous = Again(previous) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var keys = (await connection.QueryAsync<(string Id, string PrivateKey)>(new CommandDefinition(
            SelectPrivateKeys, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .Where(r => secrets.NeedsReprotecting(r.PrivateKey))
            .ToList();
        foreach (var (keyId, privateKey) in keys)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                UpdatePrivateKey,
                new { keyId, privateKey = Again(privateKey) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return endpoints.Count + keys.Count;
    }

    private static string Target(string id) => $"webhook_endpoint:{id}";
}
