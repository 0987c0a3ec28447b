-- Delegated authorisation: operator controls per account, and every decision given.

CREATE TABLE account_controls (
    account_no                   TEXT    NOT NULL PRIMARY KEY,
    status                       TEXT    NOT NULL CHECK (status IN ('ACTIVE', 'BLOCKED')),
    max_transaction_amount       INTEGER NULL CHECK (max_transaction_amount > 0),
    daily_spend_limit            INTEGER NULL CHECK (daily_spend_limit > 0),
    -- Merchant category codes, comma-separated ('7995,5933').
    blocked_merchant_categories  TEXT    NOT NULL DEFAULT '',
    updated_at                   TEXT    NOT NULL
);

CREATE TABLE authorisation_decisions (
    transaction_id   TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    account_no       TEXT    NULL,
    result           TEXT    NOT NULL,
    result_detail    TEXT    NOT NULL,
    result_message   TEXT    NULL,
    approved_amount  INTEGER NULL,
    -- What the decision reserved; 0 for declines, credits, stand-ins and revoked decisions.
    hold_amount      INTEGER NOT NULL CHECK (hold_amount >= 0),
    amount           INTEGER NULL,
    currency         TEXT    NULL,
    exponent         INTEGER NULL,
    reason           TEXT    NOT NULL,
    latency_ms       REAL    NOT NULL,
    -- The request was answered with the stand-in at its deadline.
    timed_out        INTEGER NOT NULL,
    -- The decision was committed, but too late: replaced by the stand-in and its hold released.
    revoked          INTEGER NOT NULL DEFAULT 0,
    decided_at       TEXT    NOT NULL,
    PRIMARY KEY (transaction_id, version)
);

CREATE INDEX ix_authorisation_decisions_account ON authorisation_decisions (account_no, decided_at);
