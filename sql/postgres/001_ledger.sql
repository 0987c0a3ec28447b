-- The ledger: transactions at their highest applied version, every version received, accounts and
-- a double-entry journal. Amounts are bigint minor units; the exponent travels with the currency.

CREATE TABLE accounts (
    account_no  text        PRIMARY KEY,
    currency    char(3)     NOT NULL,
    exponent    smallint    NOT NULL CHECK (exponent BETWEEN 0 AND 9),
    posted      bigint      NOT NULL DEFAULT 0,
    held        bigint      NOT NULL DEFAULT 0 CHECK (held >= 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE transactions (
    id               text        PRIMARY KEY,
    version          bigint      NOT NULL CHECK (version >= 0),
    payload_hash     bytea       NOT NULL,
    status           text        NOT NULL,
    result           text        NULL,
    result_detail    text        NULL,
    direction        text        NULL,
    txn_type         text        NULL,
    scheme_id        text        NULL,
    account_no       text        NULL,
    amount           bigint      NULL,
    currency         char(3)     NULL,
    exponent         smallint    NULL,
    -- The effect of the applied version on the ledger; the next version applies only the difference.
    effect_account   text        NULL,
    effect_currency  char(3)     NULL,
    effect_exponent  smallint    NOT NULL DEFAULT 0,
    effect_held      bigint      NOT NULL DEFAULT 0 CHECK (effect_held >= 0),
    effect_posted    bigint      NOT NULL DEFAULT 0,
    effect_counter   text        NULL,
    flags            integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE INDEX ix_transactions_effect_account ON transactions (effect_account) WHERE effect_held <> 0 OR effect_posted <> 0;

CREATE TABLE transaction_versions (
    seq             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  text        NOT NULL,
    version         bigint      NOT NULL,
    outcome         text        NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'stale', 'conflict')),
    payload_hash    bytea       NOT NULL,
    flags           integer     NOT NULL,
    raw_json        text        NOT NULL,
    received_at     timestamptz NOT NULL
);

-- The database itself refuses to apply one version of a transaction twice.
CREATE UNIQUE INDEX ux_transaction_versions_applied ON transaction_versions (transaction_id, version) WHERE outcome = 'applied';
CREATE INDEX ix_transaction_versions_transaction ON transaction_versions (transaction_id, seq);

CREATE TABLE journal (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  text        NOT NULL,
    version         bigint      NOT NULL,
    account_no      text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('posting', 'hold')),
    amount          bigint      NOT NULL CHECK (amount <> 0),
    currency        char(3)     NOT NULL,
    exponent        smallint    NOT NULL,
    created_at      timestamptz NOT NULL
);

CREATE INDEX ix_journal_account ON journal (account_no, id);
