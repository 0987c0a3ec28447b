-- Card data (docs/edge.md): a stored payload hash is keyed (HMAC-SHA256 under a key that is not in
-- this database), and the id of its key is stored beside it. Rows written before hold a plain SHA-256
-- and a NULL key until the service re-keys them, a page at a time (PayloadHashMigration); the partial
-- indexes find what is left and are empty afterwards. A version's redacted_hash is the keyed digest of
-- what was masked or removed from its stored body (NULL for bodies stored before). A body may be
-- purged after the retention period (body_purged_at), and a body under a retention hold is kept.
-- SQLite cannot change a CHECK, so transaction_versions is rebuilt with its rows.
ALTER TABLE transactions ADD COLUMN payload_key TEXT NULL;

CREATE TABLE transaction_versions_new (
    seq             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    transaction_id  TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'stale', 'conflict')),
    payload_hash    BLOB    NOT NULL,
    flags           INTEGER NOT NULL,
    raw_json        TEXT    NULL,
    received_at     TEXT    NOT NULL,
    payload_key     TEXT    NULL,
    redacted_hash   BLOB    NULL,
    body_purged_at  TEXT    NULL,
    CHECK (raw_json IS NOT NULL OR outcome IN ('duplicate', 'stale', 'conflict') OR body_purged_at IS NOT NULL)
);
INSERT INTO transaction_versions_new (seq, transaction_id, version, outcome, payload_hash, flags, raw_json, received_at)
    SELECT seq, transaction_id, version, outcome, payload_hash, flags, raw_json, received_at FROM transaction_versions;
DROP TABLE transaction_versions;
ALTER TABLE transaction_versions_new RENAME TO transaction_versions;
CREATE UNIQUE INDEX ux_transaction_versions_applied ON transaction_versions (transaction_id, version) WHERE outcome = 'applied';
CREATE INDEX ix_transaction_versions_transaction ON transaction_versions (transaction_id, seq);

CREATE INDEX ix_transactions_unkeyed ON transactions (id) WHERE payload_key IS NULL;
CREATE INDEX ix_transaction_versions_unkeyed ON transaction_versions (seq) WHERE payload_key IS NULL;
CREATE INDEX ix_transaction_versions_bodies ON transaction_versions (received_at) WHERE raw_json IS NOT NULL;

CREATE TABLE body_holds (
    transaction_id  TEXT    NOT NULL,
    reason          TEXT    NOT NULL CHECK (reason IN ('dispute', 'shortfall', 'backtest', 'investigation')),
    note            TEXT    NULL,
    placed_by       TEXT    NULL,
    placed_at       TEXT    NOT NULL,
    PRIMARY KEY (transaction_id, reason)
);

-- How far a one-time pass over rows an older build wrote has gone (by id), so that it resumes
-- where it stopped: outbox payloads whose codes may hold a card number.
CREATE TABLE maintenance_cursors (
    name      text   NOT NULL PRIMARY KEY,
    position  bigint NOT NULL
);
