-- Claims are made endpoint by endpoint, so that a backlog for one endpoint never starves another:
-- this index finds one endpoint's oldest due deliveries, in claim order, without scanning the rest.
CREATE INDEX ix_webhook_deliveries_endpoint_due ON webhook_deliveries (endpoint_id, next_attempt_at, id) WHERE state = 'pending';
