namespace Orian.Storage.Postgres;

/// <summary>The PostgreSQL write statements: each writes a whole batch from parallel arrays.</summary>
internal static class PostgresSql
{
    private const string TransactionArrays = """
        unnest(@ids::text[], @versions::bigint[], @expected::bigint[], @hashes::bytea[], @keys::text[], @statuses::text[], @results::text[], @details::text[],
               @directions::text[], @types::text[], @schemes::text[], @accounts::text[], @amounts::bigint[], @currencies::text[], @exponents::smallint[],
               @effectAccounts::text[], @effectCurrencies::text[], @effectExponents::smallint[], @effectHelds::bigint[], @effectPosteds::bigint[],
               @effectCounters::text[], @counterIsAccounts::boolean[], @flags::integer[], @secureAuths::text[])
          AS u(id, version, expected, payload_hash, payload_key, status, result, result_detail, direction, txn_type, scheme_id, account_no, amount, currency, exponent,
               effect_account, effect_currency, effect_exponent, effect_held, effect_posted, effect_counter, effect_counter_is_account, flags, secure_auth_result)
        """;

    public const string InsertTransactions = $"""
        INSERT INTO transactions (id, version, payload_hash, payload_key, status, result, result_detail, direction, txn_type, scheme_id, account_no, amount,
            currency, exponent, effect_account, effect_currency, effect_exponent, effect_held, effect_posted, effect_counter, effect_counter_is_account, flags,
            secure_auth_result, created_at, updated_at)
        SELECT id, version, payload_hash, payload_key, status, result, result_detail, direction, txn_type, scheme_id, account_no, amount,
            currency, exponent, effect_account, effect_currency, effect_exponent, effect_held, effect_posted, effect_counter, effect_counter_is_account, flags,
            secure_auth_result, @at, @at
        FROM {TransactionArrays}
        ON CONFLICT (id) DO NOTHING
        """;

    public const string UpdateTransactions = $"""
        UPDATE transactions t SET version = u.version, payload_hash = u.payload_hash, payload_key = u.payload_key, status = u.status, result = u.result,
            result_detail = u.result_detail, direction = u.direction, txn_type = u.txn_type, scheme_id = u.scheme_id, account_no = u.account_no,
            amount = u.amount, currency = u.currency, exponent = u.exponent, effect_account = u.effect_account, effect_currency = u.effect_currency,
            effect_exponent = u.effect_exponent, effect_held = u.effect_held, effect_posted = u.effect_posted, effect_counter = u.effect_counter, effect_counter_is_account = u.effect_counter_is_account,
            flags = u.flags, secure_auth_result = u.secure_auth_result, updated_at = @at
        FROM {TransactionArrays}
        WHERE t.id = u.id AND t.version = u.expected
        """;

    public const string InsertAccounts = """
        INSERT INTO accounts (account_no, currency, exponent, posted, held, created_at, updated_at)
        SELECT account_no, currency, exponent, posted, held, @at, @at
        FROM unnest(@accounts::text[], @currencies::text[], @exponents::smallint[], @posted::bigint[], @held::bigint[])
          AS u(account_no, currency, exponent, posted, held)
        ON CONFLICT (account_no) DO NOTHING
        """;

    public const string UpdateAccounts = """
        UPDATE accounts a SET posted = a.posted + u.posted, held = a.held + u.held, updated_at = @at
        FROM unnest(@accounts::text[], @currencies::text[], @exponents::smallint[], @posted::bigint[], @held::bigint[])
          AS u(account_no, currency, exponent, posted, held)
        WHERE a.account_no = u.account_no AND a.currency = u.currency
        """;

    public const string InsertVersions = """
        INSERT INTO transaction_versions (transaction_id, version, outcome, payload_hash, payload_key, redacted_hash, flags, raw_json, received_at)
        SELECT * FROM unnest(@ids::text[], @versions::bigint[], @outcomes::text[], @hashes::bytea[], @keys::text[], @redactions::bytea[], @flags::integer[],
                             @raws::text[], @receivedAts::timestamptz[])
        """;

    public const string InsertJournal = """
        INSERT INTO journal (transaction_id, version, account_no, kind, amount, currency, exponent, created_at)
        SELECT i, v, a, k, m, c, e, @at
        FROM unnest(@ids::text[], @versions::bigint[], @accounts::text[], @kinds::text[], @amounts::bigint[], @currencies::text[], @exponents::smallint[])
          AS u(i, v, a, k, m, c, e)
        """;

    public const string InsertDecisions = """
        INSERT INTO authorisation_decisions (transaction_id, version, account_no, result, result_detail, result_message, approved_amount,
            hold_amount, amount, currency, exponent, reason, latency_ms, timed_out, revoked, decided_at, deadline_at, confirmed_at)
        SELECT i, v, a, r, d, m, p, h, x, c, e, why, l, t, false, @at, dl, CASE WHEN ok THEN @at END
        FROM unnest(@ids::text[], @versions::bigint[], @accounts::text[], @results::text[], @details::text[], @messages::text[], @approved::bigint[],
                    @holds::bigint[], @amounts::bigint[], @currencies::text[], @exponents::smallint[], @reasons::text[], @latencies::double precision[],
                    @timedOuts::boolean[], @deadlines::timestamptz[], @confirmed::boolean[])
          AS u(i, v, a, r, d, m, p, h, x, c, e, why, l, t, dl, ok)
        """;

    public const string RevokeDecisions = """
        UPDATE authorisation_decisions d
        SET result = u.r, result_detail = u.dt, result_message = NULL, approved_amount = NULL, hold_amount = 0, timed_out = true, revoked = true, confirmed_at = NULL
        FROM unnest(@ids::text[], @versions::bigint[], @results::text[], @details::text[], @confirmedAts::timestamptz[]) AS u(i, v, r, dt, ca)
        WHERE d.transaction_id = u.i AND d.version = u.v AND NOT d.revoked AND (d.confirmed_at IS NULL OR d.confirmed_at = u.ca)
        """;

    public const string InsertOutbox = """
        INSERT INTO outbox_events (event_id, event_type, transaction_id, version, account_no, payload, created_at, trace_parent)
        SELECT i, t, x, v, a, p, @at, tp
        FROM unnest(@ids::text[], @types::text[], @transactions::text[], @versions::bigint[], @accounts::text[], @payloads::text[], @traces::text[])
            AS u(i, t, x, v, a, p, tp)
        ON CONFLICT (event_id) DO NOTHING
        """;
}
