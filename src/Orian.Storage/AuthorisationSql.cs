namespace Orian.Storage;

/// <summary>Authorisation statements that read the same in SQLite and PostgreSQL.</summary>
internal static class AuthorisationSql
{
    public const string SelectDecision =
        $"SELECT {DecisionRow.Columns} FROM authorisation_decisions WHERE transaction_id = @transactionId AND version = @version";

    public const string InsertDecision = $"""
        INSERT INTO authorisation_decisions ({DecisionRow.Columns})
        VALUES (@TransactionId, @Version, @AccountNo, @Result, @ResultDetail, @ResultMessage, @ApprovedAmount, @HoldAmount, @Amount, @Currency, @Exponent,
                @Reason, @LatencyMs, @TimedOut, @Revoked, @DecidedAt)
        """;

    public const string RevokeDecision = """
        UPDATE authorisation_decisions
        SET result = @Result, result_detail = @ResultDetail, result_message = NULL, approved_amount = NULL, hold_amount = 0, timed_out = @True, revoked = @True
        WHERE transaction_id = @TransactionId AND version = @Version AND NOT revoked
        """;

    public const string InsertStandIn = """
        INSERT INTO authorisation_standins (transaction_id, version, result, result_detail, reason, answered_at)
        VALUES (@TransactionId, @Version, @Result, @ResultDetail, @Reason, @AnsweredAt)
        ON CONFLICT (transaction_id, version) DO NOTHING
        """;

    public const string ResolveStandIn = """
        UPDATE authorisation_standins SET resolved_at = @At, resolution = @Resolution
        WHERE transaction_id = @TransactionId AND version = @Version AND resolved_at IS NULL
        """;

    public const string SelectOpenStandIns = """
        SELECT transaction_id, version, result, result_detail, reason, answered_at FROM authorisation_standins
        WHERE resolved_at IS NULL ORDER BY answered_at, transaction_id, version LIMIT @limit
        """;

    public const string HasPayload =
        "SELECT 1 FROM transaction_versions WHERE transaction_id = @transactionId AND payload_hash = @payloadHash AND raw_json IS NOT NULL LIMIT 1";

    public const string UpsertControls = """
        INSERT INTO account_controls (account_no, status, max_transaction_amount, daily_spend_limit, blocked_merchant_categories, updated_at)
        VALUES (@AccountNo, @Status, @MaxTransactionAmount, @DailySpendLimit, @BlockedMerchantCategories, @UpdatedAt)
        ON CONFLICT (account_no) DO UPDATE SET status = excluded.status, max_transaction_amount = excluded.max_transaction_amount,
            daily_spend_limit = excluded.daily_spend_limit, blocked_merchant_categories = excluded.blocked_merchant_categories, updated_at = excluded.updated_at
        """;
}
