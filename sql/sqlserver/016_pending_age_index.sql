-- The oldest pending delivery's age (the status view, the outbox gauges) is read through this filtered
-- index rather than through every pending delivery, whose number grows with a failing endpoint's
-- backlog. Only pending deliveries are in it: one taken live and delivered at once is written delivered
-- and never enters it. The read's condition is the literal 'pending', which the filter should match;
-- the state leads the key all the same, so a seek serves the read in order even if it did not.
-- Unverified here: no SQL Server runs on our build machines.
CREATE INDEX ix_webhook_deliveries_pending_age ON webhook_deliveries (state, created_at) WHERE state = 'pending';
