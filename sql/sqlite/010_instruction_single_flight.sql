-- A claim of an Orchestrator delivery looks for the oldest pending delivery of the same instruction
-- (the event's subject): this index finds an instruction's events without scanning the outbox.
CREATE INDEX ix_outbox_events_subject ON outbox_events (subject) WHERE subject IS NOT NULL;
