namespace Orian.Storage.SqlServer;

/// <summary>The SQL Server batch statements: each reads its rows from one JSON array (<c>@rows</c>,
/// named per statement when the batch is built) and writes them in one set-based statement. Keys are
/// stored with the binary collation <c>Latin1_General_100_BIN2</c> (ids compare byte for byte, as
/// on the other databases); a value read from JSON takes the database's default collation, so each
/// comparison with a key names the key's collation.</summary>
internal static class SqlServerSql
{
    /// <summary>The rows of <c>transactions</c> as <see cref="SqlServerJson.Transactions"/> writes them.</summary>
    private const string TransactionRows = """
        OPENJSON(@rows) WITH (i nvarchar(64), v bigint, x bigint, h varchar(64), k varchar(32), s nvarchar(64), r nvarchar(64), d nvarchar(64), dir nvarchar(64),
            t nvarchar(64), sc nvarchar(64), a nvarchar(64), m bigint, c nchar(3), e smallint, ea nvarchar(64), ec nchar(3), ee smallint, eh bigint,
            ep bigint, ecn nvarchar(200), eca bit, f int, sa nvarchar(64)) u
        """;

    private const string AccountRows = "OPENJSON(@rows) WITH (a nvarchar(64), c nchar(3), e smallint, p bigint, h bigint) u";

    /// <summary>The batch's transactions, then its accounts and every account one of those transactions
    /// touches, as one key list (an <c>OR</c> of two lists can turn the seek into a scan; it did on
    /// PostgreSQL).</summary>
    public const string Lock = $"""
        SELECT {TransactionRow.Columns} FROM transactions WITH (UPDLOCK, ROWLOCK, HOLDLOCK)
        WHERE id IN (SELECT id COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@ids) WITH (id nvarchar(64) '$')) ORDER BY id;
        SELECT account_no, currency, exponent, posted, held FROM accounts WITH (UPDLOCK, ROWLOCK, HOLDLOCK)
        WHERE account_no IN (
            SELECT a COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@accounts) WITH (a nvarchar(64) '$')
            UNION ALL
            SELECT x.a FROM transactions t
                CROSS APPLY (VALUES (t.effect_account), (CASE WHEN t.effect_counter_is_account = 1 THEN t.effect_counter END)) x(a)
            WHERE t.id IN (SELECT id COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@ids) WITH (id nvarchar(64) '$')))
        ORDER BY account_no;
        """;

    /// <summary>The controls, and what each account with a daily limit has spent today as it stands
    /// (the rule, and why only where a limit will use it, are written out beside the PostgreSQL
    /// statement).</summary>
    public const string AuthorisationRead = $"""
        SELECT {ControlsRow.Columns} FROM account_controls WHERE account_no IN (SELECT a COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@accounts) WITH (a nvarchar(64) '$'));
        SELECT effect_account, sum(effect_held + CASE WHEN effect_posted < 0 THEN -effect_posted ELSE 0 END) FROM transactions
        WHERE effect_account IN (SELECT c.account_no FROM account_controls c WHERE c.daily_spend_limit IS NOT NULL
                                   AND c.account_no IN (SELECT a COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@accounts) WITH (a nvarchar(64) '$')))
          AND created_at >= @day AND (effect_held <> 0 OR effect_posted <> 0)
        GROUP BY effect_account;
        """;

    public const string InsertTransactions = $"""
        INSERT INTO transactions (id, version, payload_hash, payload_key, status, result, result_detail, direction, txn_type, scheme_id, account_no, amount, currency, exponent,
            effect_account, effect_currency, effect_exponent, effect_held, effect_posted, effect_counter, effect_counter_is_account, flags, secure_auth_result,
            created_at, updated_at)
        SELECT u.i, u.v, CONVERT(varbinary(32), u.h, 2), u.k, u.s, u.r, u.d, u.dir, u.t, u.sc, u.a, u.m, u.c, u.e,
            u.ea, u.ec, u.ee, u.eh, u.ep, u.ecn, u.eca, u.f, u.sa, @at, @at
        FROM {TransactionRows}
        """;

    public const string UpdateTransactions = $"""
        UPDATE t SET version = u.v, payload_hash = CONVERT(varbinary(32), u.h, 2), payload_key = u.k, status = u.s, result = u.r, result_detail = u.d, direction = u.dir,
            txn_type = u.t, scheme_id = u.sc, account_no = u.a, amount = u.m, currency = u.c, exponent = u.e, effect_account = u.ea, effect_currency = u.ec,
            effect_exponent = u.ee, effect_held = u.eh, effect_posted = u.ep, effect_counter = u.ecn, effect_counter_is_account = u.eca, flags = u.f,
            secure_auth_result = u.sa, updated_at = @at
        FROM transactions t JOIN {TransactionRows} ON t.id = u.i COLLATE Latin1_General_100_BIN2 AND t.version = u.x
        """;

    public const string InsertAccounts = $"""
        INSERT INTO accounts (account_no, currency, exponent, posted, held, created_at, updated_at)
        SELECT u.a, u.c, u.e, u.p, u.h, @at, @at FROM {AccountRows}
        """;

    public const string UpdateAccounts = $"""
        UPDATE x SET posted = x.posted + u.p, held = x.held + u.h, updated_at = @at
        FROM accounts x JOIN {AccountRows} ON x.account_no = u.a COLLATE Latin1_General_100_BIN2 AND x.currency = u.c COLLATE Latin1_General_100_BIN2
        """;

    public const string InsertVersions = """
        INSERT INTO transaction_versions (transaction_id, version, outcome, payload_hash, payload_key, redacted_hash, flags, raw_json, received_at)
        SELECT u.i, u.v, u.o, CONVERT(varbinary(32), u.h, 2), u.k, CONVERT(varbinary(32), u.rh, 2), u.f, u.j, u.at
        FROM OPENJSON(@rows) WITH (i nvarchar(64), v bigint, o nvarchar(16), h varchar(64), k varchar(32), rh varchar(64), f int, j nvarchar(max),
            at datetimeoffset(7)) u
        """;

    public const string InsertJournal = """
        INSERT INTO journal (transaction_id, version, account_no, kind, amount, currency, exponent, created_at)
        SELECT u.i, u.v, u.a, u.k, u.m, u.c, u.e, @at
        FROM OPENJSON(@rows) WITH (i nvarchar(64), v bigint, a nvarchar(200), k nvarchar(16), m bigint, c nchar(3), e smallint) u
        """;

    public const string InsertDecisions = """
        INSERT INTO authorisation_decisions (transaction_id, version, account_no, result, result_detail, result_message, approved_amount,
            hold_amount, amount, currency, exponent, reason, latency_ms, timed_out, revoked, decided_at, deadline_at, confirmed_at)
        SELECT u.i, u.v, u.a, u.r, u.d, u.msg, u.p, u.h, u.m, u.c, u.e, u.why, u.l, u.t, 0, @at, u.dl, CASE WHEN u.ok = 1 THEN @at END
        FROM OPENJSON(@rows) WITH (i nvarchar(64), v bigint, a nvarchar(64), r nvarchar(64), d nvarchar(64), msg nvarchar(1024), p bigint, h bigint,
            m bigint, c nchar(3), e smallint, why nvarchar(200), l float, t bit, dl datetimeoffset(7), ok bit) u
        """;

    public const string RevokeDecisions = """
        UPDATE x SET result = u.r, result_detail = u.d, result_message = NULL, approved_amount = NULL, hold_amount = 0, timed_out = 1, revoked = 1, confirmed_at = NULL
        FROM authorisation_decisions x JOIN OPENJSON(@rows) WITH (i nvarchar(64), v bigint, r nvarchar(64), d nvarchar(64), ca datetimeoffset(7)) u
            ON x.transaction_id = u.i COLLATE Latin1_General_100_BIN2 AND x.version = u.v
        WHERE x.revoked = 0 AND (x.confirmed_at IS NULL OR x.confirmed_at = u.ca)
        """;

    public const string InsertOutbox = """
        INSERT INTO outbox_events (event_id, event_type, transaction_id, version, account_no, payload, created_at, trace_parent)
        SELECT u.i, u.t, u.x, u.v, u.a, u.p, @at, u.tp
        FROM OPENJSON(@rows) WITH (i nvarchar(64), t nvarchar(64), x nvarchar(64), v bigint, a nvarchar(64), p nvarchar(max), tp varchar(64)) u
        WHERE NOT EXISTS (SELECT 1 FROM outbox_events o WITH (UPDLOCK, HOLDLOCK) WHERE o.event_id = u.i COLLATE Latin1_General_100_BIN2)
        """;
}
