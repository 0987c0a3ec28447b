-- Delegated authorisation: operator controls per account, every decision given, and the stand-in
-- answers recorded until every decision committed for them is revoked.

CREATE TABLE account_controls (
    account_no                   nvarchar(200)  COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    status                       nvarchar(16)   NOT NULL CONSTRAINT ck_account_controls_status CHECK (status IN ('ACTIVE', 'BLOCKED')),
    max_transaction_amount       bigint         NULL CONSTRAINT ck_account_controls_max CHECK (max_transaction_amount > 0),
    daily_spend_limit            bigint         NULL CONSTRAINT ck_account_controls_daily CHECK (daily_spend_limit > 0),
    -- Merchant category codes, comma-separated ('7995,5933').
    blocked_merchant_categories  nvarchar(4000) NOT NULL DEFAULT '',
    updated_at                   datetimeoffset(7) NOT NULL
);

CREATE TABLE authorisation_decisions (
    transaction_id   nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    version          bigint         NOT NULL,
    account_no       nvarchar(200)  COLLATE Latin1_General_100_BIN2 NULL,
    result           nvarchar(64)   NOT NULL,
    result_detail    nvarchar(64)   NOT NULL,
    result_message   nvarchar(1024) NULL,
    approved_amount  bigint         NULL,
    -- What the decision reserved; 0 for declines, credits, stand-ins and revoked decisions.
    hold_amount      bigint         NOT NULL CONSTRAINT ck_authorisation_decisions_hold CHECK (hold_amount >= 0),
    amount           bigint         NULL,
    currency         nchar(3)       NULL,
    exponent         smallint       NULL,
    reason           nvarchar(200)  NOT NULL,
    latency_ms       float          NOT NULL,
    -- The request was answered with the stand-in at its deadline.
    timed_out        bit            NOT NULL,
    -- The decision was committed, but too late: replaced by the stand-in and its hold released.
    revoked          bit            NOT NULL DEFAULT 0,
    decided_at       datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_authorisation_decisions PRIMARY KEY (transaction_id, version)
);

CREATE INDEX ix_authorisation_decisions_account ON authorisation_decisions (account_no, decided_at);

CREATE TABLE authorisation_standins (
    transaction_id  nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    version         bigint        NOT NULL,
    result          nvarchar(64)  NOT NULL,
    result_detail   nvarchar(64)  NOT NULL,
    reason          nvarchar(200) NOT NULL,
    answered_at     datetimeoffset(7) NOT NULL,
    resolved_at     datetimeoffset(7) NULL,
    resolution      nvarchar(32)  NULL CONSTRAINT ck_authorisation_standins_resolution CHECK (resolution IN ('revoked', 'already_agrees', 'decided_later', 'no_decision')),
    CONSTRAINT pk_authorisation_standins PRIMARY KEY (transaction_id, version)
);

CREATE INDEX ix_authorisation_standins_open ON authorisation_standins (answered_at) WHERE resolved_at IS NULL;
