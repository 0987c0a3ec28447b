using Dapper;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>
/// Brings a database to the schema this build carries: applies, in order and each in its own
/// transaction, the provider's scripts not yet recorded in <c>schema_migrations</c>, and records
/// each with the SHA-256 of its text. A script already applied whose text has changed since stops
/// start-up (<see cref="SchemaDriftException"/>): released scripts are never edited, a change is a
/// new script. Safe to run from several instances at once (the provider's migration lock).
/// </summary>
public sealed class SchemaMigrator(SqlDatabase database, Microsoft.Extensions.Logging.ILogger? logger = null)
{
    private const string SelectApplied = "SELECT id, name, checksum FROM schema_migrations WHERE id = @Id";
    private const string RecordChecksum = "UPDATE schema_migrations SET checksum = @Checksum WHERE id = @Id";
    private const string RecordApplied = "INSERT INTO schema_migrations (id, name, applied_at, checksum) VALUES (@Id, @Name, @At, @Checksum)";
    private const string CountApplied = "SELECT count(*) FROM schema_migrations";

    private readonly Microsoft.Extensions.Logging.ILogger _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private readonly IReadOnlyList<SchemaScript> _scripts = SchemaScript.For(database.Name);

    public Task MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(through: null, cancellationToken);

    /// <summary>Applies the scripts up to and including <paramref name="through"/> (all when null):
    /// how a test builds a database as an older build left it.</summary>
    internal async Task MigrateAsync(int? through, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(dialect.CreateMigrationTable, cancellationToken: cancellationToken)).ConfigureAwait(false);

        foreach (var script in _scripts.Where(s => through is null || s.Id <= through))
        {
            await using var transaction = await database.BeginMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
            // Databases migrated before checksums were recorded get the column once, under the lock.
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(dialect.HasChecksumColumn, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(dialect.AddChecksumColumn, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            var applied = await connection.QueryFirstOrDefaultAsync<AppliedScript>(new CommandDefinition(
                SelectApplied, new { script.Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (applied is not null)
            {
                if (applied.Checksum is null)
                {
                    // Applied before checksums: this build's text is taken as what was applied.
                    await connection.ExecuteAsync(new CommandDefinition(RecordChecksum,
                        new { script.Id, script.Checksum }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }
                else if (!string.Equals(applied.Checksum, script.Checksum, StringComparison.OrdinalIgnoreCase))
                {
                    throw new SchemaDriftException(database.Name, script, applied.Checksum);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var started = TimeProvider.System.GetTimestamp();
            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                RecordApplied,
                new { script.Id, script.Name, At = TimeProvider.System.GetUtcNow().ToString("O"), script.Checksum }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            StorageLog.ScriptApplied(_logger, database.Name, script.Name, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public async Task<SchemaStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            CountApplied, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new SchemaStatus((int)applied, _scripts.Count);
    }

    private sealed class AppliedScript
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string? Checksum { get; set; }
    }
}

/// <summary>A schema script was edited after a database applied it: the database may not have the
/// schema this build expects, so the service does not start on it.</summary>
public sealed class SchemaDriftException : Exception
{
    internal SchemaDriftException(string provider, SchemaScript script, string recorded)
        : base($"Schema script sql/{provider}/{script.Name}.sql has changed since this database applied it (recorded SHA-256 {recorded}, " +
               $"this build carries {script.Checksum}). Released scripts are never edited: restore the script and put the change in a new one.")
    {
        ScriptName = script.Name;
    }

    public SchemaDriftException()
    {
        ScriptName = "";
    }

    public SchemaDriftException(string message)
        : base(message)
    {
        ScriptName = "";
    }

    public SchemaDriftException(string message, Exception innerException)
        : base(message, innerException)
    {
        ScriptName = "";
    }

    public string ScriptName { get; }
}
