-- Links from ORIAN transactions to the Payments Orchestrator instructions they settle, and the
-- Orchestrator as a destination of the outbox.

CREATE TABLE instruction_links (
    transaction_id   TEXT    PRIMARY KEY,
    order_ref        TEXT    NOT NULL CHECK (length(order_ref) BETWEEN 1 AND 50),
    instruction_ref  TEXT    NOT NULL CHECK (length(instruction_ref) BETWEEN 1 AND 50),
    -- Tenant key-value pairs (a JSON object) echoed in webhooks about the transaction.
    metadata         TEXT    NULL,
    -- The last instruction status queued for the Orchestrator and the transaction version it came
    -- from: only a change of status is sent, and never one older than what was sent.
    last_status      TEXT    NULL CHECK (last_status IN ('PROCESSING', 'SETTLED', 'FAILED', 'VOID')),
    last_version     INTEGER NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

-- The Orchestrator is a delivery destination like a webhook endpoint (same retries, dead letters,
-- re-drive and attempt log) but not one a tenant manages: it is never subscribed by event type;
-- deliveries to it are made when a linked instruction's status changes.
ALTER TABLE webhook_endpoints ADD COLUMN kind TEXT NOT NULL DEFAULT 'webhook' CHECK (kind IN ('webhook', 'orchestrator'));

INSERT INTO webhook_endpoints (id, url, events, description, secret, status, created_at, updated_at, kind)
VALUES ('orchestrator', '', '', 'Payments Orchestrator instruction status updates', '', 'enabled',
        '1970-01-01 00:00:00+00:00', '1970-01-01 00:00:00+00:00', 'orchestrator');

-- What an instruction.updated event is about ("orderRef/instructionRef"): an update to the
-- Orchestrator always sends the newest status queued for its instruction, so a retried older
-- update can never move an instruction back.
ALTER TABLE outbox_events ADD COLUMN subject TEXT NULL;

CREATE INDEX ix_outbox_events_transaction ON outbox_events (transaction_id, event_type);
