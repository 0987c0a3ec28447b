-- The transactional outbox: events written in the same transaction as the ledger change that
-- caused them, fanned out to one delivery per subscribed destination (a tenant's webhook endpoint,
-- or the Payments Orchestrator), each retried until delivered or dead-lettered.

CREATE TABLE outbox_events (
    id              bigint        IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    -- Stable across retries and re-drives: consumers de-duplicate on it (the webhook-id header).
    event_id        nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT ux_outbox_events_event_id UNIQUE,
    event_type      nvarchar(64)  NOT NULL,
    transaction_id  nvarchar(64)  COLLATE Latin1_General_100_BIN2 NULL,
    version         bigint        NULL,
    account_no      nvarchar(200) COLLATE Latin1_General_100_BIN2 NULL,
    payload         nvarchar(max) NOT NULL,
    created_at      datetimeoffset(7) NOT NULL,
    fanned_out      bit           NOT NULL DEFAULT 0,
    -- What an instruction.updated event is about ("orderRef/instructionRef"): an update to the
    -- Orchestrator always sends the newest status queued for its instruction.
    subject         nvarchar(110) COLLATE Latin1_General_100_BIN2 NULL
);

CREATE INDEX ix_outbox_events_pending ON outbox_events (id) WHERE fanned_out = 0;
CREATE INDEX ix_outbox_events_transaction ON outbox_events (transaction_id, event_type);

CREATE TABLE webhook_endpoints (
    id                          nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    url                         nvarchar(2048) NOT NULL,
    -- Event types, comma-separated.
    events                      nvarchar(1000) NOT NULL,
    description                 nvarchar(1024) NULL,
    secret                      nvarchar(200)  NOT NULL,
    -- After a rotation the previous secret still signs for 24 hours (both signatures are sent).
    previous_secret             nvarchar(200)  NULL,
    previous_secret_expires_at  datetimeoffset(7) NULL,
    status                      nvarchar(16)   NOT NULL CONSTRAINT ck_webhook_endpoints_status CHECK (status IN ('enabled', 'disabled')),
    disabled_reason             nvarchar(1024) NULL,
    created_at                  datetimeoffset(7) NOT NULL,
    updated_at                  datetimeoffset(7) NOT NULL,
    -- The Orchestrator is a destination like a webhook endpoint but not one a tenant manages.
    kind                        nvarchar(16)   NOT NULL DEFAULT 'webhook' CONSTRAINT ck_webhook_endpoints_kind CHECK (kind IN ('webhook', 'orchestrator'))
);

INSERT INTO webhook_endpoints (id, url, events, description, secret, status, created_at, updated_at, kind)
VALUES ('orchestrator', '', '', 'Payments Orchestrator instruction status updates', '', 'enabled',
        '1970-01-01T00:00:00+00:00', '1970-01-01T00:00:00+00:00', 'orchestrator');

CREATE TABLE webhook_deliveries (
    id               bigint        IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    event_id         nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_webhook_deliveries_event REFERENCES outbox_events (event_id),
    endpoint_id      nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_webhook_deliveries_endpoint REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    state            nvarchar(16)  NOT NULL CONSTRAINT ck_webhook_deliveries_state CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         int           NOT NULL DEFAULT 0,
    next_attempt_at  datetimeoffset(7) NOT NULL,
    lease_owner      nvarchar(200) NULL,
    lease_until      datetimeoffset(7) NULL,
    last_status      int           NULL,
    last_error       nvarchar(2000) NULL,
    created_at       datetimeoffset(7) NOT NULL,
    delivered_at     datetimeoffset(7) NULL,
    CONSTRAINT ux_webhook_deliveries_event_endpoint UNIQUE (event_id, endpoint_id)
);

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX ix_webhook_deliveries_state ON webhook_deliveries (state, id);

CREATE TABLE delivery_attempts (
    id            bigint         IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    delivery_id   bigint         NOT NULL CONSTRAINT fk_delivery_attempts_delivery REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt       int            NOT NULL,
    attempted_at  datetimeoffset(7) NOT NULL,
    status_code   int            NULL,
    latency_ms    float          NOT NULL,
    error         nvarchar(2000) NULL
);

CREATE INDEX ix_delivery_attempts_delivery ON delivery_attempts (delivery_id, id);
