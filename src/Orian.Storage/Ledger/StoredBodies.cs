using Dapper;
using Orian.Domain;
using Orian.Edge;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>A retention hold: a transaction whose stored bodies are kept past the retention period.</summary>
public sealed class BodyHold
{
    /// <summary>Why a body may be needed after the retention period.</summary>
    public static readonly IReadOnlyList<string> Reasons = ["dispute", "shortfall", "backtest", "investigation"];

    public string TransactionId { get; set; } = "";
    public string Reason { get; set; } = "";
    public string? Note { get; set; }
    public string? PlacedBy { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
}

/// <summary>
/// The stored bodies of received versions and their payload hashes, apart from the ledger's batches:
/// re-keying the hashes written before they were keyed (<see cref="RekeyPageAsync"/>), purging bodies
/// past the retention period (<see cref="PurgePageAsync"/>), and the holds that keep a body. Each page
/// is one short write transaction of its own (on SQLite, one turn of the writer), so a ledger of any
/// size is worked through without holding the ledger up.
/// </summary>
public sealed class StoredBodies(SqlDatabase database)
{
    private const string RekeyTransaction =
        "UPDATE transactions SET payload_hash = @Hash, payload_key = @Key, status = @Status, result = @Result, result_detail = @ResultDetail, " +
        "txn_type = @TxnType, scheme_id = @SchemeId WHERE id = @Id AND payload_key IS NULL";

    private const string RekeyVersion =
        "UPDATE transaction_versions SET payload_hash = @Hash, payload_key = @Key, raw_json = @RawJson WHERE seq = @Seq AND payload_key IS NULL";

    private const string SelectCursor = "SELECT position FROM maintenance_cursors WHERE name = @name";
    private const string UpdatePayload = "UPDATE outbox_events SET payload = @Payload WHERE id = @Id";

    private const string CountUnkeyed =
        "SELECT (SELECT count(*) FROM transactions WHERE payload_key IS NULL) + (SELECT count(*) FROM transaction_versions WHERE payload_key IS NULL)";

    private const string CountKeys = "SELECT payload_key, count(*) FROM transaction_versions WHERE payload_key IS NOT NULL GROUP BY payload_key";
    private const string ReleaseHold = "DELETE FROM body_holds WHERE transaction_id = @transactionId AND reason = @reason";
    private const string SelectHolds = "SELECT transaction_id, reason, note, placed_by, placed_at FROM body_holds WHERE transaction_id = @transactionId ORDER BY reason";

    private readonly string _unkeyedTransactions =
        $"SELECT t.id, t.payload_hash, t.status, t.result, t.result_detail, t.txn_type, t.scheme_id FROM transactions t {database.Dialect.ClaimHint} " +
        $"WHERE t.payload_key IS NULL ORDER BY t.id {database.Dialect.Page("@limit")}{database.Dialect.ClaimClause("t")}";

    private readonly string _unkeyedVersions =
        $"SELECT v.seq, v.payload_hash, v.raw_json FROM transaction_versions v {database.Dialect.ClaimHint} " +
        $"WHERE v.payload_key IS NULL ORDER BY v.seq {database.Dialect.Page("@limit")}{database.Dialect.ClaimClause("v")}";

    private readonly string _payloadsAfter = $"SELECT id, payload FROM outbox_events WHERE id > @after ORDER BY id {database.Dialect.Page("@limit")}";

    private readonly string _setCursor = database.Dialect.Upsert("maintenance_cursors", [("name", "@name"), ("position", "@position")], ["name"], ["position"]);

    private readonly string _placeHold = database.Dialect.Upsert("body_holds",
        [("transaction_id", "@TransactionId"), ("reason", "@Reason"), ("note", "@Note"), ("placed_by", "@PlacedBy"), ("placed_at", "@PlacedAt")],
        ["transaction_id", "reason"], ["note", "placed_by", "placed_at"]);

    /// <summary>A page of the oldest bodies past the cutoff that no hold and no open shortfall keeps.</summary>
    private readonly string _purge = $"""
        UPDATE transaction_versions SET raw_json = NULL, body_purged_at = @now
        WHERE seq IN (
            SELECT v.seq FROM transaction_versions v
            WHERE v.raw_json IS NOT NULL AND v.received_at < @cutoff
              AND NOT EXISTS (SELECT 1 FROM body_holds h WHERE h.transaction_id = v.transaction_id)
              AND NOT EXISTS (SELECT 1 FROM transactions t JOIN accounts a ON a.account_no = t.effect_account
                              WHERE t.id = v.transaction_id AND (t.flags & {(int)EventFlags.Overdrawn}) <> 0 AND a.posted < a.held)
            ORDER BY v.received_at {database.Dialect.Page("@limit")})
        """;

    /// <summary>
    /// Re-keys up to <paramref name="limit"/> transaction rows and <paramref name="limit"/> version
    /// rows that still hold a plain SHA-256: each becomes HMAC(current key, that SHA-256), the same
    /// value a new arrival of the same bytes hashes to (<see cref="PayloadKeys"/>); the row's stored
    /// body and codes are redacted by this build's rules in the same write. A row a batch is
    /// writing at the same time is skipped (PostgreSQL, SQL Server) or waited for, and its condition
    /// (<c>payload_key IS NULL</c>) is checked again, so a hash the batch wrote is never re-keyed twice.
    /// Returns how many rows were re-keyed; 0 when none is left.
    /// </summary>
    public async Task<int> RekeyPageAsync(PayloadKeys keys, int limit, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var transactions = await scope.Connection.QueryAsync<LegacyTransaction>(new CommandDefinition(
            _unkeyedTransactions,
            new { limit }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var versions = await scope.Connection.QueryAsync<(long Seq, byte[] Hash, string? RawJson)>(new CommandDefinition(
            _unkeyedVersions,
            new { limit }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var key = keys.CurrentId;
        // The codes and bodies an older build stored went through fewer card-number rules: a card
        // number in a code, in free text, grouped, as a JSON number or a nested id, and sensitive
        // authentication members, were kept. They are redacted now, with the hash, once.
        var rekeyed = await scope.Connection.ExecuteAsync(new CommandDefinition(
            RekeyTransaction,
            transactions.Select(t => new
            {
                t.Id, Hash = keys.Hash(t.PayloadHash), Key = key, Status = CardNumbers.Mask(t.Status), Result = CardNumbers.Mask(t.Result),
                ResultDetail = CardNumbers.Mask(t.ResultDetail), TxnType = CardNumbers.Mask(t.TxnType), SchemeId = CardNumbers.Mask(t.SchemeId),
            }),
            scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        rekeyed += await scope.Connection.ExecuteAsync(new CommandDefinition(
            RekeyVersion,
            versions.Select(v => new { v.Seq, Hash = keys.Hash(v.Hash), Key = key, RawJson = Redacted(v.RawJson) }),
            scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rekeyed;
    }

    /// <summary>The outbox payload members that carry a code PPS sent (a card number sent in one by
    /// mistake was kept by builds before codes were masked as they are parsed).</summary>
    private static readonly string[] PayloadCodes = ["status", "result", "result_detail", "direction", "txn_type", "scheme_id", "transaction_status", "previous_status"];

    private const string OutboxCursor = "outbox_payload_codes";

    /// <summary>
    /// One page of the one-time pass over the outbox: masks a card number in the codes of up to
    /// <paramref name="limit"/> payloads past the pass's cursor (those written by a build before codes
    /// were masked as they were parsed; later payloads have nothing to change), and moves the cursor
    /// in the same transaction. Returns how many payloads were read; 0 when the pass has reached the end,
    /// where it stops for good (an instance of an older build still writing during a rolling upgrade
    /// could write after that: finish the upgrade before traffic resumes, or re-run the pass by
    /// deleting its row in <c>maintenance_cursors</c>).
    /// </summary>
    public async Task<int> RedactOutboxPageAsync(int limit, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var after = await scope.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            SelectCursor, new { name = OutboxCursor }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
        var rows = (await scope.Connection.QueryAsync<(long Id, string Payload)>(new CommandDefinition(
            _payloadsAfter,
            new { after, limit }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        if (rows.Count == 0)
        {
            // Everything written from now on was masked as it was parsed: the pass is over for good.
            if (after != long.MaxValue)
            {
                await SetCursorAsync(scope, long.MaxValue, cancellationToken).ConfigureAwait(false);
                await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }

        var changed = rows.Select(r => (r.Id, Payload: RedactedPayload(r.Payload))).Where(r => r.Payload is not null).ToList();
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            UpdatePayload, changed.Select(c => new { c.Id, c.Payload }),
            scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await SetCursorAsync(scope, rows[^1].Id, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    private Task SetCursorAsync(WriteScope scope, long position, CancellationToken cancellationToken) =>
        scope.Connection.ExecuteAsync(new CommandDefinition(
            _setCursor,
            new { name = OutboxCursor, position }, scope.Transaction, cancellationToken: cancellationToken));

    /// <summary>The payload with a card number in any of its <see cref="PayloadCodes"/> masked (at any
    /// depth: the data and its 3-D Secure result); null when nothing changes.</summary>
    private static string? RedactedPayload(string payload)
    {
        System.Text.Json.Nodes.JsonNode? root;
        try
        {
            root = System.Text.Json.Nodes.JsonNode.Parse(payload);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        return root is not null && MaskCodes(root) ? root.ToJsonString() : null;

        static bool MaskCodes(System.Text.Json.Nodes.JsonNode node)
        {
            var changed = false;
            if (node is System.Text.Json.Nodes.JsonObject obj)
            {
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is System.Text.Json.Nodes.JsonValue v && PayloadCodes.Contains(name) && v.TryGetValue<string>(out var text)
                        && CardNumbers.Mask(text) is var masked && !ReferenceEquals(masked, text))
                    {
                        obj[name] = masked;
                        changed = true;
                    }
                    else if (value is not null)
                    {
                        changed |= MaskCodes(value);
                    }
                }
            }

            return changed;
        }
    }

    /// <summary>A stored body as this build would store it; one that no longer parses is left as it is.</summary>
    private static string? Redacted(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return StoredBody.Of(System.Text.Encoding.UTF8.GetBytes(json)).Json;
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }

    private sealed class LegacyTransaction
    {
        public string Id { get; set; } = "";
        public byte[] PayloadHash { get; set; } = [];
        public string Status { get; set; } = "";
        public string? Result { get; set; }
        public string? ResultDetail { get; set; }
        public string? TxnType { get; set; }
        public string? SchemeId { get; set; }
    }

    /// <summary>Rows whose payload hash is still a plain SHA-256 (the partial indexes count them).</summary>
    public async Task<long> CountUnkeyedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            CountUnkeyed,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The key ids the stored version hashes are under, with how many rows each: what an
    /// operator checks before retiring a key. Reads every row.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Key, long Count)>(new CommandDefinition(
            CountKeys,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Key, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>
    /// Purges the stored body of up to <paramref name="limit"/> versions received before
    /// <paramref name="cutoff"/>, oldest first. Kept: the bodies of a transaction under a
    /// <see cref="BodyHold"/>, and of one whose version left its account overdrawn while the account
    /// still is (an open shortfall, which a chargeback may need to show). Only <c>raw_json</c> changes:
    /// hashes, outcomes and every ledger row stay as they are, and the keyed hash alone still tells a
    /// re-sent version from a conflict. Returns how many bodies were purged.
    /// </summary>
    public async Task<int> PurgePageAsync(DateTimeOffset cutoff, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var purged = await scope.Connection.ExecuteAsync(new CommandDefinition(_purge, new { cutoff, now, limit }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return purged;
    }

    /// <summary>Places a hold (or replaces its note); audited with the operator who placed it.</summary>
    public async Task<BodyHold> PlaceHoldAsync(string transactionId, string reason, string? note, OperatorContext who, CancellationToken cancellationToken)
    {
        var hold = new BodyHold { TransactionId = transactionId, Reason = reason, Note = note, PlacedBy = who.KeyId ?? who.KeyName, PlacedAt = who.At };
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            _placeHold,
            hold, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await AuditTrail.AppendAsync(scope.Connection, scope.Transaction, who, "body_hold.place", $"transaction:{transactionId}", null,
            new { reason, note }, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return hold;
    }

    /// <summary>Releases a hold; false when there was none.</summary>
    public async Task<bool> ReleaseHoldAsync(string transactionId, string reason, OperatorContext who, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var released = await scope.Connection.ExecuteAsync(new CommandDefinition(
            ReleaseHold,
            new { transactionId, reason }, scope.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (released > 0)
        {
            await AuditTrail.AppendAsync(scope.Connection, scope.Transaction, who, "body_hold.release", $"transaction:{transactionId}", new { reason }, null,
                cancellationToken).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return released > 0;
    }

    /// <summary>The holds on one transaction.</summary>
    public async Task<IReadOnlyList<BodyHold>> ListHoldsAsync(string transactionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<BodyHold>(new CommandDefinition(
            SelectHolds,
            new { transactionId }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
    }
}
