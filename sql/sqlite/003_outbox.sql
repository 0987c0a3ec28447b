-- The transactional outbox: events written in the same transaction as the ledger change that
-- caused them, fanned out to one delivery per subscribed webhook endpoint, each retried until
-- delivered or dead-lettered.

CREATE TABLE outbox_events (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    -- Stable across retries and re-drives: consumers de-duplicate on it (the webhook-id header).
    event_id        TEXT        NOT NULL UNIQUE,
    event_type      TEXT        NOT NULL,
    transaction_id  TEXT        NULL,
    version         INTEGER     NULL,
    account_no      TEXT        NULL,
    payload         TEXT        NOT NULL,
    created_at      TEXT        NOT NULL,
    fanned_out      INTEGER     NOT NULL DEFAULT 0
);

CREATE INDEX ix_outbox_events_pending ON outbox_events (id) WHERE fanned_out = 0;

CREATE TABLE webhook_endpoints (
    id                          TEXT        PRIMARY KEY,
    url                         TEXT        NOT NULL,
    -- Event types, comma-separated.
    events                      TEXT        NOT NULL,
    description                 TEXT        NULL,
    secret                      TEXT        NOT NULL,
    -- After a rotation the previous secret still signs for 24 hours (both signatures are sent).
    previous_secret             TEXT        NULL,
    previous_secret_expires_at  TEXT        NULL,
    status                      TEXT        NOT NULL CHECK (status IN ('enabled', 'disabled')),
    disabled_reason             TEXT        NULL,
    created_at                  TEXT        NOT NULL,
    updated_at                  TEXT        NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    event_id         TEXT        NOT NULL REFERENCES outbox_events (event_id),
    endpoint_id      TEXT        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    state            TEXT        NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TEXT        NOT NULL,
    lease_owner      TEXT        NULL,
    lease_until      TEXT        NULL,
    last_status      INTEGER     NULL,
    last_error       TEXT        NULL,
    created_at       TEXT        NOT NULL,
    delivered_at     TEXT        NULL,
    UNIQUE (event_id, endpoint_id)
);

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX ix_webhook_deliveries_state ON webhook_deliveries (state, id);

CREATE TABLE delivery_attempts (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    delivery_id  INTEGER          NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      INTEGER          NOT NULL,
    attempted_at TEXT             NOT NULL,
    status_code  INTEGER          NULL,
    latency_ms   REAL             NOT NULL,
    error        TEXT             NULL
);

CREATE INDEX ix_delivery_attempts_delivery ON delivery_attempts (delivery_id, id);
