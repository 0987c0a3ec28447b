-- Keys compare as bytes. Under the database's default collation (en_US.UTF-8, C.UTF-8) every
-- B-tree step on a text key went through the locale's comparison, which the service never needs:
-- ids and account numbers are identifiers, not words, and the other providers already compare them
-- as bytes (SQLite BINARY, SQL Server a BIN2 collation). "C" makes each comparison a memcmp, and
-- makes an ORDER BY on these keys the same order on every provider. Each statement rewrites its
-- table and rebuilds its indexes: on a large existing ledger, run this in a maintenance window.
ALTER TABLE accounts ALTER COLUMN account_no TYPE text COLLATE "C";
ALTER TABLE transactions
    ALTER COLUMN id TYPE text COLLATE "C",
    ALTER COLUMN account_no TYPE text COLLATE "C",
    ALTER COLUMN effect_account TYPE text COLLATE "C",
    ALTER COLUMN effect_counter TYPE text COLLATE "C";
ALTER TABLE transaction_versions ALTER COLUMN transaction_id TYPE text COLLATE "C";
ALTER TABLE journal
    ALTER COLUMN transaction_id TYPE text COLLATE "C",
    ALTER COLUMN account_no TYPE text COLLATE "C";
ALTER TABLE account_controls ALTER COLUMN account_no TYPE text COLLATE "C";
ALTER TABLE authorisation_decisions
    ALTER COLUMN transaction_id TYPE text COLLATE "C",
    ALTER COLUMN account_no TYPE text COLLATE "C";
ALTER TABLE authorisation_standins ALTER COLUMN transaction_id TYPE text COLLATE "C";
ALTER TABLE outbox_events
    ALTER COLUMN event_id TYPE text COLLATE "C",
    ALTER COLUMN transaction_id TYPE text COLLATE "C";
ALTER TABLE webhook_deliveries ALTER COLUMN event_id TYPE text COLLATE "C";
