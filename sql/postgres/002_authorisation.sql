-- Delegated authorisation: operator controls per account, and every decision given.

CREATE TABLE account_controls (
    account_no                   text        PRIMARY KEY,
    status                       text        NOT NULL CHECK (status IN ('ACTIVE', 'BLOCKED')),
    max_transaction_amount       bigint      NULL CHECK (max_transaction_amount > 0),
    daily_spend_limit            bigint      NULL CHECK (daily_spend_limit > 0),
    -- Merchant category codes, comma-separated ('7995,5933').
    blocked_merchant_categories  text        NOT NULL DEFAULT '',
    updated_at                   timestamptz NOT NULL
);

CREATE TABLE authorisation_decisions (
    transaction_id   text             NOT NULL,
    version          bigint           NOT NULL,
    account_no       text             NULL,
    result           text             NOT NULL,
    result_detail    text             NOT NULL,
    result_message   text             NULL,
    approved_amount  bigint           NULL,
    -- What the decision reserved; 0 for declines, credits, stand-ins and revoked decisions.
    hold_amount      bigint           NOT NULL CHECK (hold_amount >= 0),
    amount           bigint           NULL,
    currency         char(3)          NULL,
    exponent         smallint         NULL,
    reason           text             NOT NULL,
    latency_ms       double precision NOT NULL,
    -- The request was answered with the stand-in at its deadline.
    timed_out        boolean          NOT NULL,
    -- The decision was committed, but too late: replaced by the stand-in and its hold released.
    revoked          boolean          NOT NULL DEFAULT false,
    decided_at       timestamptz      NOT NULL,
    PRIMARY KEY (transaction_id, version)
);

CREATE INDEX ix_authorisation_decisions_account ON authorisation_decisions (account_no, decided_at);
