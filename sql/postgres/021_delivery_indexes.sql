-- A delivery is written once and settled once, and every index it is in costs both writes (settling
-- changes its state, so the update is never heap-only). Two indexes cost more than the reads they serve:
--
-- ix_webhook_deliveries_due (pending, by next_attempt_at): the claims read each endpoint's due
-- deliveries through ix_webhook_deliveries_endpoint_due, which also counts the pending ones.
DROP INDEX ix_webhook_deliveries_due;

-- ix_webhook_deliveries_state (state, id) held every delivery, most of them delivered, and took a new
-- entry for each one settled. Operators list pending and dead deliveries by id through this partial
-- index; delivered ones are most of the table, found soon enough in key order.
DROP INDEX ix_webhook_deliveries_state;
CREATE INDEX ix_webhook_deliveries_unsettled ON webhook_deliveries (state, id) WHERE state IN ('pending', 'dead');
