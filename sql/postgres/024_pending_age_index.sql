-- The status view and the outbox gauges read how long the oldest pending delivery has waited. Without
-- an index on that age the read went through every pending delivery: 82 ms a sample with 470,000
-- pending (a failing endpoint's backlog after six minutes), growing with the backlog. This index holds
-- only pending deliveries: a delivery taken live and delivered at the first attempt is written
-- delivered and never enters it, so the happy path pays nothing; one written pending pays an entry.
CREATE INDEX ix_webhook_deliveries_pending_age ON webhook_deliveries (created_at) WHERE state = 'pending';
