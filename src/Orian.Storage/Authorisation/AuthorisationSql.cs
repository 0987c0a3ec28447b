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
                @Reason, @LatencyMs, @TimedOut, @Revoked, @DecidedAt)
        """;

    /// <summary>Parameters: <see cref="AuthorisationData.RevocationParameters"/>.</summary>
    public const string RevokeDecision = """
        UPDATE authorisation_decisions
        SET result = @Result, result_detail = @ResultDetail, result_message = NULL, approved_amount = NULL, hold_amount = 0, timed_out = @True, revoked = @True
        WHERE transaction_id = @TransactionId AND version = @Version AND revoked = @False
        """;

    public const string ResolveStandIn = """
        UPDATE authorisation_standins SET resolved_at = @At, resolution = @Resolution
        WHERE transaction_id = @TransactionId AND version = @Version AND resolved_at IS NULL
        """;

    public string InsertStandIn { get; } = d.InsertIfAbsent("authorisation_standins",
        [("transaction_id", "@TransactionId"), ("version", "@Version"), ("result", "@Result"), ("result_detail", "@ResultDetail"), ("reason", "@Reason"), ("answered_at", "@AnsweredAt")],
        "transaction_id", "version");

    public string SelectOpenStandIns { get; } = $"""
        SELECT transaction_id, version, result, result_detail, reason, answered_at FROM authorisation_standins
        WHERE resolved_at IS NULL ORDER BY answered_at, transaction_id, version {d.Page("@limit")}
        """;

    public string UpsertControls { get; } = d.Upsert("account_controls",
        [("account_no", "@AccountNo"), ("status", "@Status"), ("max_transaction_amount", "@MaxTransactionAmount"), ("daily_spend_limit", "@DailySpendLimit"),
         ("blocked_merchant_categories", "@BlockedMerchantCategories"), ("updated_at", "@UpdatedAt")],
        ["account_no"], ["status", "max_transaction_amount", "daily_spend_limit", "blocked_merchant_categories", "updated_at"]);

    public string SelectDecisions { get; } =
        $"SELECT {DecisionRow.Columns} FROM authorisation_decisions WHERE account_no = @accountNo ORDER BY decided_at DESC, transaction_id DESC {d.Page("@limit")}";
}
