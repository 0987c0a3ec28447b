-- Every outbox event was indexed by (transaction_id, event_type) for one read: a transaction's
-- instruction updates (the operator's view of them, and the newest update of an instruction when one
-- is sent). Instruction updates are the only events with a subject, so the index now holds just them.
-- Measured on the outbox insert alone (25 events a statement, pgbench): the full index cost a fifth of
-- its throughput, paid by every event although the read it serves is rare.
DROP INDEX ix_outbox_events_transaction;
CREATE INDEX ix_outbox_events_instruction ON outbox_events (transaction_id) WHERE subject IS NOT NULL;

-- A transfer's payee was indexed (effect_counter, for transfers only) and no query reads by it: the
-- batch finds a payee through the transaction's own row, by id.
DROP INDEX ix_transactions_effect_counter;
