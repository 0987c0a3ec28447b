-- Card data (docs/edge.md): a stored payload hash is keyed (HMAC-SHA256 under a key that is not in
-- this database), and the id of its key is stored beside it. Rows written before hold a plain SHA-256
-- and a NULL key until the service re-keys them, a page at a time (PayloadHashMigration); the
-- filtered indexes find what is left and are empty afterwards. A version's redacted_hash is the keyed
-- digest of what was masked or removed from its stored body (NULL for bodies stored before). A body
-- may be purged after the retention period (body_purged_at), and a body under a retention hold is kept.
-- The statements that name the new columns run through EXEC: a batch is compiled before it runs, and
-- a column added earlier in the same batch is not yet known then.
ALTER TABLE transactions ADD payload_key varchar(32) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE transaction_versions ADD
    payload_key     varchar(32) COLLATE Latin1_General_100_BIN2 NULL,
    redacted_hash   varbinary(32) NULL,
    body_purged_at  datetimeoffset(7) NULL;
ALTER TABLE transaction_versions DROP CONSTRAINT ck_transaction_versions_body;
EXEC ('ALTER TABLE transaction_versions ADD CONSTRAINT ck_transaction_versions_body
           CHECK (raw_json IS NOT NULL OR outcome IN (''duplicate'', ''stale'', ''conflict'') OR body_purged_at IS NOT NULL)');

EXEC ('CREATE INDEX ix_transactions_unkeyed ON transactions (id) WHERE payload_key IS NULL');
EXEC ('CREATE INDEX ix_transaction_versions_unkeyed ON transaction_versions (seq) WHERE payload_key IS NULL');
-- The purge reads the oldest bodies first. Unlike the other providers' partial index this one is
-- filtered on body_purged_at, not on raw_json: whether a filter may name an nvarchar(max) column
-- was not verified here.
EXEC ('CREATE INDEX ix_transaction_versions_bodies ON transaction_versions (received_at) INCLUDE (transaction_id) WHERE body_purged_at IS NULL');

CREATE TABLE body_holds (
    transaction_id  nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    reason          nvarchar(16)  NOT NULL CONSTRAINT ck_body_holds_reason CHECK (reason IN ('dispute', 'shortfall', 'backtest', 'investigation')),
    note            nvarchar(500) NULL,
    placed_by       nvarchar(64)  NULL,
    placed_at       datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_body_holds PRIMARY KEY (transaction_id, reason)
);

-- How far a one-time pass over rows an older build wrote has gone (by id), so that it resumes
-- where it stopped: outbox payloads whose codes may hold a card number.
CREATE TABLE maintenance_cursors (
    name      nvarchar(64) NOT NULL CONSTRAINT pk_maintenance_cursors PRIMARY KEY,
    position  bigint       NOT NULL
);
