namespace Orian.Storage.Sqlite;

/// <summary>The SQLite write statements, one row per execution.</summary>
internal static class SqliteSql
{
    public const string InsertTransaction = """
        INSERT INTO transactions (id, version, payload_hash, payload_key, status, result, result_detail, direction, txn_type, scheme_id, account_no,
            amount, currency, exponent, effect_account, effect_currency, effect_exponent, effect_held, effect_posted, effect_counter, effect_counter_is_account, flags, secure_auth_result, created_at, updated_at)
        VALUES (@Id, @Version, @PayloadHash, @PayloadKey, @Status, @Result, @ResultDetail, @Direction, @TxnType, @SchemeId, @AccountNo,
            @Amount, @Currency, @Exponent, @EffectAccount, @EffectCurrency, @EffectExponent, @EffectHeld, @EffectPosted, @EffectCounter, @EffectCounterIsAccount, @Flags, @SecureAuthResult, @At, @At)
        ON CONFLICT (id) DO NOTHING
        """;

    public const string UpdateTransaction = """
        UPDATE transactions SET version = @Version, payload_hash = @PayloadHash, payload_key = @PayloadKey, status = @Status, result = @Result, result_detail = @ResultDetail,
            direction = @Direction, txn_type = @TxnType, scheme_id = @SchemeId, account_no = @AccountNo, amount = @Amount, currency = @Currency,
            exponent = @Exponent, effect_account = @EffectAccount, effect_currency = @EffectCurrency, effect_exponent = @EffectExponent,
            effect_held = @EffectHeld, effect_posted = @EffectPosted, effect_counter = @EffectCounter, effect_counter_is_account = @EffectCounterIsAccount, flags = @Flags, secure_auth_result = @SecureAuthResult, updated_at = @At
        WHERE id = @Id AND version = @ExpectedVersion
        """;

    public const string InsertAccount = """
        INSERT INTO accounts (account_no, currency, exponent, posted, held, created_at, updated_at)
        VALUES (@AccountNo, @Currency, @Exponent, @PostedDelta, @HeldDelta, @At, @At)
        ON CONFLICT (account_no) DO NOTHING
        """;

    public const string UpdateAccount = """
        UPDATE accounts SET posted = posted + @PostedDelta, held = held + @HeldDelta, updated_at = @At
        WHERE account_no = @AccountNo AND currency = @Currency
        """;

    public const string InsertVersion = """
        INSERT INTO transaction_versions (transaction_id, version, outcome, payload_hash, payload_key, redacted_hash, flags, raw_json, received_at)
        VALUES (@TransactionId, @Version, @Outcome, @PayloadHash, @PayloadKeyId, @RedactedHash, @Flags, @RawJson, @ReceivedAt)
        """;

    public const string InsertJournal = """
        INSERT INTO journal (transaction_id, version, account_no, kind, amount, currency, exponent, created_at)
        VALUES (@TransactionId, @Version, @AccountNo, @Kind, @Amount, @Currency, @Exponent, @At)
        """;
}
