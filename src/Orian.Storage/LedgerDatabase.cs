using System.Data.Common;
using Dapper;
using Orian.Ledger;

namespace Orian.Storage;

/// <summary>
/// The parts of a SQL ledger that every provider shares: schema migration and the operator reads.
/// A provider adds how to connect, how to lock rows for a batch, and how to write a batch fast.
/// </summary>
public abstract partial class LedgerDatabase : ILedgerStore, ILedgerReader, IAuthorisationAdmin, IOutboxStore
{
    private readonly IReadOnlyList<SchemaScript> _scripts;

    protected LedgerDatabase(string scriptFolder)
    {
        DapperConfiguration.EnsureConfigured();
        _scripts = SchemaScript.For(scriptFolder);
    }

    public abstract StorageProvider Provider { get; }

    public abstract Task<ILedgerUnitOfWork> BeginAsync(CancellationToken cancellationToken);

    public abstract bool IsTransient(Exception exception);

    /// <summary>A new open connection (from the provider's pool).</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>"<paramref name="column"/> is one of @ids" in the provider's dialect (PostgreSQL takes
    /// an array parameter; Dapper expands a list for SQLite).</summary>
    protected abstract string IdIn(string column);

    /// <summary>A row-locking clause for a queue claim (<c>FOR UPDATE OF x SKIP LOCKED</c> where the
    /// database has it; empty on SQLite, where the write transaction locks everything).</summary>
    protected abstract string SkipLockedClause(string alias);

    /// <summary>A read-write transaction outside the ledger's batches (the outbox). On SQLite it takes
    /// its turn with the ledger's batches on the one writer connection instead of contending for the
    /// database lock (whose busy handler sleeps, measured as 1 s stalls in acknowledgements).</summary>
    protected abstract Task<WriteScope> BeginWriteScopeAsync(CancellationToken cancellationToken);

    /// <summary>A connection with an open write transaction; disposing ends both (or returns the
    /// shared writer).</summary>
    protected sealed class WriteScope(DbConnection connection, DbTransaction transaction, Func<ValueTask> release) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = connection;
        public DbTransaction Transaction { get; } = transaction;

        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
            await release().ConfigureAwait(false);
        }
    }

    /// <summary>Starts a transaction that only one migrating process at a time may hold.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Applies, in order and each in its own transaction, the scripts not yet recorded in
    /// <c>schema_migrations</c>. Safe to run from several instances at once.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)",
            cancellationToken: cancellationToken)).ConfigureAwait(false);

        foreach (var script in _scripts)
        {
            await using var transaction = await BeginMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM schema_migrations WHERE id = @Id", new { script.Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (done > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (id, name, applied_at) VALUES (@Id, @Name, @At)",
                new { script.Id, script.Name, At = TimeProvider.System.GetUtcNow().ToString("O") }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<SchemaStatus> GetSchemaStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM schema_migrations", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new SchemaStatus((int)applied, _scripts.Count);
    }

    public async Task<AccountRecord?> GetAccountAsync(string accountNo, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRecord>(new CommandDefinition(
            "SELECT account_no, currency, exponent, posted, held, created_at, updated_at FROM accounts WHERE account_no = @accountNo",
            new { accountNo }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is not null)
        {
            LedgerInvariants.CheckAfterRead(new AccountState(row.AccountNo, row.Currency, row.Exponent, row.Posted, row.Held));
        }

        return row;
    }

    public async Task<bool> HasCommittedAsync(string outboxEventId, CancellationToken cancellationToken) =>
        await ExistsAsync("SELECT 1 FROM outbox_events WHERE event_id = @outboxEventId", new { outboxEventId }, cancellationToken).ConfigureAwait(false);

    public async Task RecordStandInAsync(StandInRecord record, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteScopeAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            AuthorisationSql.InsertStandIn, AuthorisationData.StandInParameters(record), scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StandInRecord>> GetOpenStandInsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<StandInRow>(new CommandDefinition(
            AuthorisationSql.SelectOpenStandIns, new { limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string accountNo, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<JournalEntry>(new CommandDefinition(
            "SELECT id, transaction_id, version, account_no, kind, amount, currency, exponent, created_at FROM journal " +
            "WHERE account_no = @accountNo AND id > @afterId ORDER BY id LIMIT @limit",
            new { accountNo, afterId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<(TransactionState State, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)?> GetTransactionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<TransactionRow>(new CommandDefinition(
            $"SELECT {TransactionRow.Columns} FROM transactions WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : (row.ToState(), row.CreatedAt, row.UpdatedAt);
    }

    public async Task<IReadOnlyList<VersionReceipt>> GetVersionsAsync(string transactionId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<VersionReceipt>(new CommandDefinition(
            "SELECT seq, version, outcome, flags, received_at FROM transaction_versions WHERE transaction_id = @transactionId ORDER BY seq LIMIT @limit",
            new { transactionId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<ControlsRow?> GetControlsAsync(string accountNo, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ControlsRow>(new CommandDefinition(
            $"SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no = @accountNo", new { accountNo }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task PutControlsAsync(ControlsRow controls, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(AuthorisationSql.UpsertControls, controls, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DecisionRow>> GetDecisionsAsync(string accountNo, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(
            $"SELECT {DecisionRow.Columns} FROM authorisation_decisions WHERE account_no = @accountNo ORDER BY decided_at DESC, transaction_id DESC LIMIT @limit",
            new { accountNo, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<int> FanOutAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        // Reads first, without the write lock. With no enabled endpoint there is nothing to do at
        // all: events older than an endpoint never go to it, so unmarked events can simply wait.
        if (!await ExistsAsync(OutboxSql.AnyWorkToFanOut, new { }, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        await using var scope = await BeginWriteScopeAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        await LockLinksAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var events = (await connection.QueryAsync<PendingEvent>(new CommandDefinition(
            OutboxSql.PendingEvents + SkipLockedClause("outbox_events"), new { limit }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        if (events.Count == 0)
        {
            return 0;
        }

        await ApplyLinksAsync(connection, transaction, events, now, cancellationToken).ConfigureAwait(false);
        var endpoints = (await connection.QueryAsync<(string Id, string Events, DateTimeOffset CreatedAt)>(new CommandDefinition(
            OutboxSql.EnabledEndpoints, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        var deliveries = new List<object>();
        foreach (var e in events)
        {
            foreach (var endpoint in endpoints)
            {
                if (endpoint.CreatedAt <= e.CreatedAt && endpoint.Events.Split(',').Contains(e.EventType, StringComparer.Ordinal))
                {
                    deliveries.Add(new { e.EventId, EndpointId = endpoint.Id, At = now });
                }
            }
        }

        if (deliveries.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(OutboxSql.InsertDelivery, deliveries, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        // One statement for the whole round, naming exactly the rows read (and locked) above: with
        // SKIP LOCKED another dispatcher may hold rows in between, which are not ours to mark.
        await connection.ExecuteAsync(new CommandDefinition($"UPDATE outbox_events SET fanned_out = TRUE WHERE {IdIn("id")}",
            new { ids = events.Select(e => e.Id).ToArray() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return events.Count;
    }

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, bool includeOrchestrator, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(OutboxSql.AnyDueDelivery, new { now }, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        await using var scope = await BeginWriteScopeAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE webhook_deliveries SET lease_owner = @owner, lease_until = @leaseUntil WHERE id IN ({OutboxSql.DueDeliveries}{SkipLockedClause("wd")})",
            new { owner, leaseUntil, now, limit, orchestrator = includeOrchestrator }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (claimed == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return [];
        }

        var rows = await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition(
            OutboxSql.ClaimedDetails, new { owner, leaseUntil }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<bool> RecordAttemptAsync(string owner, AttemptOutcome o, CancellationToken cancellationToken)
    {
        await using var scope = await BeginWriteScopeAsync(cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var sql = o.Delivered ? OutboxSql.Delivered : o.NextAttemptAt is null ? OutboxSql.Dead : OutboxSql.Retry;
        var args = new { id = o.DeliveryId, owner, now = o.At, status = o.StatusCode, error = o.Error, next = o.NextAttemptAt, attempt = o.Attempt, latencyMs = o.LatencyMs };
        if (await connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) != 1)
        {
            return false; // the lease expired and another dispatcher took the delivery over
        }

        await connection.ExecuteAsync(new CommandDefinition(OutboxSql.InsertAttempt, args, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (o.DisableEndpoint)
        {
            await connection.ExecuteAsync(new CommandDefinition(OutboxSql.DisableEndpoint,
                new { reason = "410 Gone from the endpoint", now = o.At, endpointId = o.EndpointId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> ExistsAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
    }

    public async Task CreateEndpointAsync(WebhookEndpointRow endpoint, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO webhook_endpoints ({OutboxSql.EndpointColumns}) VALUES (@Id, @Url, @Events, @Description, @Secret, @PreviousSecret, @PreviousSecretExpiresAt, @Status, @DisabledReason, @CreatedAt, @UpdatedAt)",
            endpoint, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<WebhookEndpointRow?> GetEndpointAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<WebhookEndpointRow>(new CommandDefinition(
            $"SELECT {OutboxSql.EndpointColumns} FROM webhook_endpoints WHERE id = @id AND kind = 'webhook'", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WebhookEndpointRow>> ListEndpointsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<WebhookEndpointRow>(new CommandDefinition(
            $"SELECT {OutboxSql.EndpointColumns} FROM webhook_endpoints WHERE kind = 'webhook' ORDER BY created_at, id", cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<bool> DeleteEndpointAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM webhook_endpoints WHERE id = @id AND kind = 'webhook'", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task<bool> RotateSecretAsync(string id, string newSecret, DateTimeOffset previousExpiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = @previousExpiresAt, secret = @newSecret, updated_at = @now WHERE id = @id AND kind = 'webhook'",
            new { id, newSecret, previousExpiresAt, now }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<DeliveryRow>> ListDeliveriesAsync(string? state, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"SELECT {OutboxSql.DeliveryColumns} FROM webhook_deliveries d JOIN outbox_events ev ON ev.event_id = d.event_id " +
            "WHERE (@state IS NULL OR d.state = @state) AND d.id > @afterId ORDER BY d.id LIMIT @limit",
            new { state, afterId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    public async Task<(DeliveryRow Delivery, IReadOnlyList<AttemptRow> Attempts)?> GetDeliveryAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var delivery = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            $"SELECT {OutboxSql.DeliveryColumns} FROM webhook_deliveries d JOIN outbox_events ev ON ev.event_id = d.event_id WHERE d.id = @id",
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (delivery is null)
        {
            return null;
        }

        var attempts = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            "SELECT id, attempt, attempted_at, status_code, latency_ms, error FROM delivery_attempts WHERE delivery_id = @id ORDER BY id",
            new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return (delivery, attempts.AsList());
    }

    public async Task<int> RedriveAsync(long? id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = @now, lease_owner = NULL, lease_until = NULL " +
            "WHERE state = 'dead' AND (@id IS NULL OR id = @id)",
            new { id, now }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
