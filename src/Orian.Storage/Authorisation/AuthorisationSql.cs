using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>Authorisation statements, in the SQL every provider reads alike or through its dialect.</summary>
internal sealed class AuthorisationSql(SqlDialect d)
{
    public static readonly string SelectDecision =
        $"SELECT {DecisionRow.Columns} FROM authorisation_decisions WHERE transaction_id = @transactionId AND version = @version";

    public const string HasPayload =
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM transaction_versions WHERE transaction_id = @transactionId AND payload_hash = @payloadHash AND raw_json IS NOT NULL) THEN 1 END";

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
