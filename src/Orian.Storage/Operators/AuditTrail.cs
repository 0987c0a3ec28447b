using System.Data.Common;
using System.Text.Json;
using Dapper;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>One entry of the audit trail: who changed what, from what, to what. Never a secret.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? KeyId { get; set; }
    public string KeyName { get; set; } = "";
    public string Action { get; set; } = "";
    public string Target { get; set; } = "";
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }
    public string? TraceId { get; set; }
}

/// <summary>The audit trail as operators read it.</summary>
public interface IAuditLog
{
    /// <summary>Entries with <c>id &gt; afterId</c>, oldest first, of one target or of all.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(long afterId, int limit, string? target, CancellationToken cancellationToken);
}

/// <summary>
/// The append-only audit trail. Every operator write appends its entry with
/// <see cref="AppendAsync"/> in the same database transaction as the change, so an entry exists if
/// and only if the change committed.
/// </summary>
public sealed class AuditTrail(SqlDatabase database) : IAuditLog
{
    private const string Insert = """
        INSERT INTO audit_log (at, key_id, key_name, action, target, before_json, after_json, trace_id)
        VALUES (@At, @KeyId, @KeyName, @Action, @Target, @BeforeJson, @AfterJson, @TraceId)
        """;

    private readonly string _list =
        "SELECT id, at, key_id, key_name, action, target, before_json, after_json, trace_id FROM audit_log " +
        $"WHERE id > @afterId AND (@target IS NULL OR target = @target) ORDER BY id {database.Dialect.Page("@limit")}";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(long afterId, int limit, string? target, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<AuditEntry>(new CommandDefinition(_list, new { afterId, limit, target }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }

    /// <summary>Appends one entry inside the caller's transaction. <paramref name="before"/> and
    /// <paramref name="after"/> are snapshots that hold no secret (serialised as snake_case JSON).</summary>
    internal static Task AppendAsync(
        DbConnection connection, DbTransaction transaction, OperatorContext who, string action, string target, object? before, object? after, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            who.At,
            who.KeyId,
            who.KeyName,
            Action = action,
            Target = target,
            BeforeJson = before is null ? null : JsonSerializer.Serialize(before, before.GetType(), Json),
            AfterJson = after is null ? null : JsonSerializer.Serialize(after, after.GetType(), Json),
            who.TraceId,
        }, transaction, cancellationToken: cancellationToken));
}
