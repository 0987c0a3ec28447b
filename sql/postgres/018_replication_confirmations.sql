-- A row whose update makes a transaction write to the log, so that its commit waits for a
-- synchronous standby like any write. After a COMMIT whose wait for the standby was cancelled (the
-- transaction committed on the primary alone), Orian asks whether the batch committed in a
-- transaction that also updates this row: its commit returns only once a standby has everything the
-- log held before it, the batch included. Only that path writes here (rarely: a failed commit).
CREATE TABLE replication_confirmations (
    id         int    NOT NULL PRIMARY KEY CHECK (id = 1),
    confirmed  bigint NOT NULL
);

INSERT INTO replication_confirmations (id, confirmed) VALUES (1, 0);
