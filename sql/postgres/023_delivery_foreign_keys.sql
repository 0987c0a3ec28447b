-- A delivery's row is now written by the dispatcher's record, in a transaction of its own, not by the
-- batch that wrote its event. In PostgreSQL a foreign-key check locks the row it finds (FOR KEY SHARE),
-- and locking a row another transaction wrote sets its header: each delivery recorded dirtied its
-- event's heap page, with a WAL record (a full-page image after each checkpoint). The endpoint's one
-- row took that lock from every batch and record at once (a multixact each time). Measured under load:
-- the record's insert cost 227 µs a row, against 60-70 µs for the ledger's other inserts.
--
-- Neither reference guards anything the code could get wrong: outbox events and endpoints are never
-- deleted (an endpoint is marked deleted and kept), and a delivery is only ever written for an event
-- written in the same batch or named by a lease that batch wrote, to an endpoint read in it. SQLite's
-- check is a lookup with no lock, and SQL Server's a shared lock held for the statement: both keep theirs.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_id_fkey;
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_endpoint_id_fkey;
