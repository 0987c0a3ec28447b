-- A delivery is written once and settled once, and every index it is in costs both writes.
-- ix_webhook_deliveries_due (pending, by next_attempt_at) serves no read any more: the claims read each
-- endpoint's due deliveries through ix_webhook_deliveries_endpoint_due. (PostgreSQL also narrows the
-- (state, id) index to unsettled deliveries; SQL Server matches a filtered index only to a query whose
-- condition is a literal, and the operators' list filters by a parameter, so here it stays whole.)
-- Unverified here: no SQL Server runs on our build machines.
DROP INDEX ix_webhook_deliveries_due ON webhook_deliveries;
