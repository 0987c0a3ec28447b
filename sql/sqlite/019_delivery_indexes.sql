-- A delivery is written once and settled once, and every index it is in costs both writes.
-- ix_webhook_deliveries_due (pending, by next_attempt_at) serves no read any more: the claims read each
-- endpoint's due deliveries through ix_webhook_deliveries_endpoint_due. (PostgreSQL also narrows the
-- (state, id) index to unsettled deliveries; SQLite would use such a partial index only for a query
-- whose WHERE repeats its condition word for word, so here it stays whole.)
DROP INDEX ix_webhook_deliveries_due;
