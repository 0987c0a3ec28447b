using Dapper;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>Tenants' webhook endpoints (the Orchestrator's destination row is not one of them).</summary>
public sealed class WebhookEndpoints(SqlDatabase database) : IWebhookEndpointStore
{
    public async Task CreateEndpointAsync(WebhookEndpointRow endpoint, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO webhook_endpoints ({OutboxSql.EndpointColumns}) VALUES (@Id, @Url, @Events, @Description, @Secret, @PreviousSecret, @PreviousSecretExpiresAt, @Status, @DisabledReason, @CreatedAt, @UpdatedAt)",
            endpoint, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<WebhookEndpointRow?> GetEndpointAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<WebhookEndpointRow>(new CommandDefinition(
            $"SELECT {OutboxSql.EndpointColumns} FROM webhook_endpoints WHERE id = @id AND kind = 'webhook'", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WebhookEndpointRow>> ListEndpointsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<WebhookEndpointRow>(new CommandDefinition(
            $"SELECT {OutboxSql.EndpointColumns} FROM webhook_endpoints WHERE kind = 'webhook' ORDER BY created_at, id", cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<bool> DeleteEndpointAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM webhook_endpoints WHERE id = @id AND kind = 'webhook'", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task<bool> RotateSecretAsync(string id, string newSecret, DateTimeOffset previousExpiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = @previousExpiresAt, secret = @newSecret, updated_at = @now WHERE id = @id AND kind = 'webhook'",
            new { id, newSecret, previousExpiresAt, now }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }
}
