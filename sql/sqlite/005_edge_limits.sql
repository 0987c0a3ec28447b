-- The second line of defence behind the edge (docs/edge.md): balances stay integers within +-10^18
-- minor units and amounts within 10^15 (SQLite would otherwise turn an overflowing sum into a REAL);
-- a duplicate or stale receipt keeps its hash and time but not its body; stand-in answers are
-- recorded until every decision committed for them is revoked. SQLite cannot add a CHECK to a table,
-- so accounts and transaction_versions are rebuilt with their rows.

CREATE TABLE accounts_new (
    account_no  TEXT    NOT NULL PRIMARY KEY,
    currency    TEXT    NOT NULL CHECK (length(currency) = 3),
    exponent    INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 9),
    posted      INTEGER NOT NULL DEFAULT 0 CHECK (typeof(posted) = 'integer' AND posted BETWEEN -1000000000000000000 AND 1000000000000000000),
    held        INTEGER NOT NULL DEFAULT 0 CHECK (typeof(held) = 'integer' AND held BETWEEN 0 AND 1000000000000000000),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
INSERT INTO accounts_new (account_no, currency, exponent, posted, held, created_at, updated_at)
    SELECT account_no, currency, exponent, posted, held, created_at, updated_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;

CREATE TABLE transaction_versions_new (
    seq             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    transaction_id  TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'stale', 'conflict')),
    payload_hash    BLOB    NOT NULL,
    flags           INTEGER NOT NULL,
    raw_json        TEXT    NULL CHECK (raw_json IS NOT NULL OR outcome IN ('duplicate', 'stale', 'conflict')),
    received_at     TEXT    NOT NULL
);
INSERT INTO transaction_versions_new (seq, transaction_id, version, outcome, payload_hash, flags, raw_json, received_at)
    SELECT seq, transaction_id, version, outcome, payload_hash, flags, raw_json, received_at FROM transaction_versions;
DROP TABLE transaction_versions;
ALTER TABLE transaction_versions_new RENAME TO transaction_versions;
CREATE UNIQUE INDEX ux_transaction_versions_applied ON transaction_versions (transaction_id, version) WHERE outcome = 'applied';
CREATE INDEX ix_transaction_versions_transaction ON transaction_versions (transaction_id, seq);

CREATE TABLE authorisation_standins (
    transaction_id  TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    result          TEXT    NOT NULL,
    result_detail   TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    answered_at     TEXT    NOT NULL,
    resolved_at     TEXT    NULL,
    resolution      TEXT    NULL CHECK (resolution IN ('revoked', 'already_agrees', 'decided_later', 'no_decision')),
    PRIMARY KEY (transaction_id, version)
);

CREATE INDEX ix_authorisation_standins_open ON authorisation_standins (answered_at) WHERE resolved_at IS NULL;
