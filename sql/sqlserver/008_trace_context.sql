-- The W3C trace context of the request that caused an event, when it was traced, so that the
-- event's deliveries continue the same trace. NULL when tracing is off.
ALTER TABLE outbox_events ADD trace_parent varchar(64) NULL;
