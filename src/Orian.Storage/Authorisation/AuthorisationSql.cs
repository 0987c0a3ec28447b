using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>Authorisation statements, in the SQL every provider reads alike or through its dialect.</summary>
internal sealed class AuthorisationSql(SqlDialect d)
{
    public const string SelectDecision =
        $"SELECT {DecisionRow.Columns} FROM authorisation_decisions WHERE transaction_id = @transactionId AND version = @version";

    public const string HasPayload =
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM transaction_versions WHERE transaction_id = @transactionId AND payload_hash = @payloadHash AND raw_json IS NOT NULL) THEN 1 END";

    public const string InsertDecision = $"""
        INSERT INTO authorisation_decisions ({DecisionRow.Columns})
        VALUES (@TransactionId, @Version, @AccountNo, @Result, @ResultDetail, @ResultMessage, @ApprovedAmount, @HoldAmount, @Amount, @Currency, @Exponent,
                @Reason, @LatencyMs, @TimedOut, @Revoked, @DecidedAt, @DeadlineAt, @ConfirmedAt)
        """;

    /// <summary>Parameters: <see cref="AuthorisationData.RevocationParameters"/>. Conditional on the
    /// decision being neither revoked nor confirmed (or confirmed exactly at <c>@ConfirmedAt</c>, a
    /// confirmation in doubt), so a confirmation that committed first wins.</summary>
    public const string RevokeDecision = """
        UPDATE authorisation_decisions
        SET result = @Result, result_detail = @ResultDetail, result_message = NULL, approved_amount = NULL, hold_amount = 0, timed_out = @True, revoked = @True,
            confirmed_at = NULL
        WHERE transaction_id = @TransactionId AND version = @Version AND revoked = @False AND (confirmed_at IS NULL OR confirmed_at = @ConfirmedAt)
        """;

    /// <summary>The reconciler's keyset page (<see cref="Ledger.ILedgerStore.GetUnconfirmedDecisionsAsync"/>),
    /// on <c>ix_authorisation_decisions_unconfirmed</c>. Without a cursor, <c>@afterDeadline</c> is the
    /// earliest time there is.</summary>
    public string SelectUnconfirmed { get; } = $"""
        SELECT transaction_id, version, deadline_at FROM authorisation_decisions
        WHERE confirmed_at IS NULL AND revoked = {d.False} AND deadline_at < @before
          AND (deadline_at > @afterDeadline OR (deadline_at = @afterDeadline AND (transaction_id > @afterId OR (transaction_id = @afterId AND version > @afterVersion))))
        ORDER BY deadline_at, transaction_id, version {d.Page("@limit")}
        """;

    public string UpsertControls { get; } = d.Upsert("account_controls",
        [("account_no", "@AccountNo"), ("status", "@Status"), ("max_transaction_amount", "@MaxTransactionAmount"), ("daily_spend_limit", "@DailySpendLimit"),
         ("blocked_merchant_categories", "@BlockedMerchantCategories"), ("updated_at", "@UpdatedAt")],
        ["account_no"], ["status", "max_transaction_amount", "daily_spend_limit", "blocked_merchant_categories", "updated_at"]);

    public string SelectDecisions { get; } =
        $"SELECT {DecisionRow.Columns} FROM authorisation_decisions WHERE account_no = @accountNo ORDER BY decided_at DESC, transaction_id DESC {d.Page("@limit")}";
}
