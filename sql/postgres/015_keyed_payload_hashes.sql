-- Card data (docs/edge.md): a stored payload hash is keyed (HMAC-SHA256 under a key that is not in
-- this database), and the id of its key is stored beside it. Rows written before hold a plain SHA-256
-- and a NULL key until the service re-keys them, a page at a time (PayloadHashMigration); the partial
-- indexes find what is left and are empty afterwards. A version's redacted_hash is the keyed digest of
-- what was masked or removed from its stored body (NULL for bodies stored before). A body may be
-- purged after the retention period (body_purged_at), and a body under a retention hold is kept.
ALTER TABLE transactions ADD COLUMN payload_key text COLLATE "C" NULL;
ALTER TABLE transaction_versions
    ADD COLUMN payload_key text COLLATE "C" NULL,
    ADD COLUMN redacted_hash bytea NULL,
    ADD COLUMN body_purged_at timestamptz NULL;

ALTER TABLE transaction_versions DROP CONSTRAINT ck_transaction_versions_body;
ALTER TABLE transaction_versions
    ADD CONSTRAINT ck_transaction_versions_body CHECK (raw_json IS NOT NULL OR outcome IN ('duplicate', 'stale', 'conflict') OR body_purged_at IS NOT NULL);

CREATE INDEX ix_transactions_unkeyed ON transactions (id) WHERE payload_key IS NULL;
CREATE INDEX ix_transaction_versions_unkeyed ON transaction_versions (seq) WHERE payload_key IS NULL;
CREATE INDEX ix_transaction_versions_bodies ON transaction_versions (received_at) WHERE raw_json IS NOT NULL;

CREATE TABLE body_holds (
    transaction_id  text        COLLATE "C" NOT NULL,
    reason          text        NOT NULL CHECK (reason IN ('dispute', 'shortfall', 'backtest', 'investigation')),
    note            text        NULL,
    placed_by       text        NULL,
    placed_at       timestamptz NOT NULL,
    PRIMARY KEY (transaction_id, reason)
);

-- How far a one-time pass over rows an older build wrote has gone (by id), so that it resumes
-- where it stopped: outbox payloads whose codes may hold a card number.
CREATE TABLE maintenance_cursors (
    name      text   NOT NULL PRIMARY KEY,
    position  bigint NOT NULL
);
