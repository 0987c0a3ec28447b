-- The oldest pending delivery's age (the status view, the outbox gauges) is read through this index
-- rather than through every pending delivery, whose number grows with a failing endpoint's backlog.
-- Only pending deliveries are in it: one taken live and delivered at once is written delivered and
-- never enters it. The state leads the key: SQLite otherwise prefers the (state, id) index for the
-- read's equality and sorts every pending delivery; with it the read is one covering-index probe.
CREATE INDEX ix_webhook_deliveries_pending_age ON webhook_deliveries (state, created_at) WHERE state = 'pending';
