-- The ledger on SQL Server 2019+ / Azure SQL Database: transactions at their highest applied version,
-- every version received, accounts and a double-entry journal. Amounts are bigint minor units; the
-- exponent travels with the currency. Keys use the binary collation so ids compare byte for byte,
-- as on the other databases. This provider starts at the schema the others reached in their eighth
-- script (edge limits, daily spend, 3-D Secure and transfers included).

CREATE TABLE accounts (
    account_no  nvarchar(200)  COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    currency    nchar(3)       COLLATE Latin1_General_100_BIN2 NOT NULL,
    exponent    smallint       NOT NULL CONSTRAINT ck_accounts_exponent CHECK (exponent BETWEEN 0 AND 9),
    posted      bigint         NOT NULL DEFAULT 0,
    held        bigint         NOT NULL DEFAULT 0 CONSTRAINT ck_accounts_held CHECK (held >= 0),
    created_at  datetimeoffset(7) NOT NULL,
    updated_at  datetimeoffset(7) NOT NULL,
    -- Balances stay within +-10^18 minor units and amounts within 10^15, so no sum can wrap.
    CONSTRAINT ck_accounts_posted_range CHECK (posted BETWEEN -1000000000000000000 AND 1000000000000000000),
    CONSTRAINT ck_accounts_held_range CHECK (held <= 1000000000000000000)
);

CREATE TABLE transactions (
    id                         nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    version                    bigint        NOT NULL CONSTRAINT ck_transactions_version CHECK (version >= 0),
    payload_hash               varbinary(32) NOT NULL,
    status                     nvarchar(64)  NOT NULL,
    result                     nvarchar(64)  NULL,
    result_detail              nvarchar(64)  NULL,
    direction                  nvarchar(64)  NULL,
    txn_type                   nvarchar(64)  NULL,
    scheme_id                  nvarchar(64)  NULL,
    account_no                 nvarchar(200) COLLATE Latin1_General_100_BIN2 NULL,
    amount                     bigint        NULL,
    currency                   nchar(3)      COLLATE Latin1_General_100_BIN2 NULL,
    exponent                   smallint      NULL,
    -- The effect of the applied version on the ledger; the next version applies only the difference.
    effect_account             nvarchar(200) COLLATE Latin1_General_100_BIN2 NULL,
    effect_currency            nchar(3)      COLLATE Latin1_General_100_BIN2 NULL,
    effect_exponent            smallint      NOT NULL DEFAULT 0,
    effect_held                bigint        NOT NULL DEFAULT 0 CONSTRAINT ck_transactions_effect_held CHECK (effect_held >= 0),
    effect_posted              bigint        NOT NULL DEFAULT 0,
    -- The settlement account, or (a transfer) the payee's account, whose balance moves with the payer's.
    effect_counter             nvarchar(200) COLLATE Latin1_General_100_BIN2 NULL,
    effect_counter_is_account  bit           NOT NULL DEFAULT 0,
    flags                      int           NOT NULL DEFAULT 0,
    -- The 3-D Secure result of the newest applied version that carried one.
    secure_auth_result         nvarchar(64)  NULL,
    created_at                 datetimeoffset(7) NOT NULL,
    updated_at                 datetimeoffset(7) NOT NULL,
    CONSTRAINT ck_transactions_amount_range CHECK (amount IS NULL OR amount BETWEEN 0 AND 1000000000000000),
    CONSTRAINT ck_transactions_effect_range CHECK (effect_held <= 1000000000000000 AND effect_posted BETWEEN -1000000000000000 AND 1000000000000000)
);

-- A filtered index cannot say "held <> 0 OR posted <> 0" here (no OR in a filter), so these index
-- every transaction and carry the effect columns the reads need.
CREATE INDEX ix_transactions_effect_account ON transactions (effect_account, created_at) INCLUDE (effect_held, effect_posted);
CREATE INDEX ix_transactions_effect_counter ON transactions (effect_counter) WHERE effect_counter_is_account = 1;

CREATE TABLE transaction_versions (
    seq             bigint        IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    transaction_id  nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    version         bigint        NOT NULL,
    outcome         nvarchar(16)  NOT NULL CONSTRAINT ck_transaction_versions_outcome CHECK (outcome IN ('applied', 'duplicate', 'stale', 'conflict')),
    payload_hash    varbinary(32) NOT NULL,
    flags           int           NOT NULL,
    -- The body of an applied version; a duplicate or stale receipt keeps its hash and time only.
    raw_json        nvarchar(max) NULL,
    received_at     datetimeoffset(7) NOT NULL,
    CONSTRAINT ck_transaction_versions_body CHECK (raw_json IS NOT NULL OR outcome IN ('duplicate', 'stale', 'conflict'))
);

-- The database itself refuses to apply one version of a transaction twice.
CREATE UNIQUE INDEX ux_transaction_versions_applied ON transaction_versions (transaction_id, version) WHERE outcome = 'applied';
CREATE INDEX ix_transaction_versions_transaction ON transaction_versions (transaction_id, seq);

CREATE TABLE journal (
    id              bigint        IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    transaction_id  nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    version         bigint        NOT NULL,
    account_no      nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    kind            nvarchar(16)  NOT NULL CONSTRAINT ck_journal_kind CHECK (kind IN ('posting', 'hold')),
    amount          bigint        NOT NULL CONSTRAINT ck_journal_amount CHECK (amount <> 0),
    currency        nchar(3)      COLLATE Latin1_General_100_BIN2 NOT NULL,
    exponent        smallint      NOT NULL,
    created_at      datetimeoffset(7) NOT NULL
);

CREATE INDEX ix_journal_account ON journal (account_no, id);
