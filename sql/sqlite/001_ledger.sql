-- The ledger: transactions at their highest applied version, every version received, accounts and
-- a double-entry journal. Amounts are INTEGER minor units; times are ISO-8601 UTC text.

CREATE TABLE accounts (
    account_no  TEXT    NOT NULL PRIMARY KEY,
    currency    TEXT    NOT NULL CHECK (length(currency) = 3),
    exponent    INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 9),
    posted      INTEGER NOT NULL DEFAULT 0,
    held        INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE transactions (
    id               TEXT    NOT NULL PRIMARY KEY,
    version          INTEGER NOT NULL CHECK (version >= 0),
    payload_hash     BLOB    NOT NULL,
    status           TEXT    NOT NULL,
    result           TEXT    NULL,
    result_detail    TEXT    NULL,
    direction        TEXT    NULL,
    txn_type         TEXT    NULL,
    scheme_id        TEXT    NULL,
    account_no       TEXT    NULL,
    amount           INTEGER NULL,
    currency         TEXT    NULL,
    exponent         INTEGER NULL,
    -- The effect of the applied version on the ledger; the next version applies only the difference.
    effect_account   TEXT    NULL,
    effect_currency  TEXT    NULL,
    effect_exponent  INTEGER NOT NULL DEFAULT 0,
    effect_held      INTEGER NOT NULL DEFAULT 0 CHECK (effect_held >= 0),
    effect_posted    INTEGER NOT NULL DEFAULT 0,
    effect_counter   TEXT    NULL,
    flags            INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE INDEX ix_transactions_effect_account ON transactions (effect_account) WHERE effect_held <> 0 OR effect_posted <> 0;

CREATE TABLE transaction_versions (
    seq             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    transaction_id  TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'stale', 'conflict')),
    payload_hash    BLOB    NOT NULL,
    flags           INTEGER NOT NULL,
    raw_json        TEXT    NOT NULL,
    received_at     TEXT    NOT NULL
);

-- The database itself refuses to apply one version of a transaction twice.
CREATE UNIQUE INDEX ux_transaction_versions_applied ON transaction_versions (transaction_id, version) WHERE outcome = 'applied';
CREATE INDEX ix_transaction_versions_transaction ON transaction_versions (transaction_id, seq);

CREATE TABLE journal (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    transaction_id  TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    account_no      TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('posting', 'hold')),
    amount          INTEGER NOT NULL CHECK (amount <> 0),
    currency        TEXT    NOT NULL,
    exponent        INTEGER NOT NULL,
    created_at      TEXT    NOT NULL
);

CREATE INDEX ix_journal_account ON journal (account_no, id);
