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
        WHERE transaction_id = @TransactionId AND version = @Version
        """;

    public const string UpsertControls = """
        INSERT INTO account_controls (account_no, status, max_transaction_amount, daily_spend_limit, blocked_merchant_categories, updated_at)
        VALUES (@AccountNo, @Status, @MaxTransactionAmount, @DailySpendLimit, @BlockedMerchantCategories, @UpdatedAt)
        ON CONFLICT (account_no) DO UPDATE SET status = excluded.status, max_transaction_amount = excluded.max_transaction_amount,
            daily_spend_limit = excluded.daily_spend_limit, blocked_merchant_categories = excluded.blocked_merchant_categories, updated_at = excluded.updated_at
        """;
}
