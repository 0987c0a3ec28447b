-- Claims are made endpoint by endpoint, so that a backlog for one endpoint never starves another:
-- this index finds one endpoint's oldest due deliveries, in claim order, without scanning the rest.
CREATE INDEX ix_webhook_deliveries_endpoint_due ON webhook_deliveries (endpoint_id, next_attempt_at, id) WHERE state = 'pending';
-- A claim reads back the rows it leased by their owner token: only leased rows are in this index.
CREATE INDEX ix_webhook_deliveries_lease_owner ON webhook_deliveries (lease_owner) WHERE lease_owner IS NOT NULL;
