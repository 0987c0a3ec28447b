-- The transactional outbox: events written in the same transaction as the ledger change that
-- caused them, fanned out to one delivery per subscribed webhook endpoint, each retried until
-- delivered or dead-lettered.

CREATE TABLE outbox_events (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Stable across retries and re-drives: consumers de-duplicate on it (the webhook-id header).
    event_id        text        NOT NULL UNIQUE,
    event_type      text        NOT NULL,
    transaction_id  text        NULL,
    version         bigint      NULL,
    account_no      text        NULL,
    payload         text        NOT NULL,
    created_at      timestamptz NOT NULL,
    fanned_out      boolean     NOT NULL DEFAULT false
);

CREATE INDEX ix_outbox_events_pending ON outbox_events (id) WHERE NOT fanned_out;

CREATE TABLE webhook_endpoints (
    id                          text        PRIMARY KEY,
    url                         text        NOT NULL,
    -- Event types, comma-separated.
    events                      text        NOT NULL,
    description                 text        NULL,
    secret                      text        NOT NULL,
    -- After a rotation the previous secret still signs for 24 hours (both signatures are sent).
    previous_secret             text        NULL,
    previous_secret_expires_at  timestamptz NULL,
    status                      text        NOT NULL CHECK (status IN ('enabled', 'disabled')),
    disabled_reason             text        NULL,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         text        NOT NULL REFERENCES outbox_events (event_id),
    endpoint_id      text        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    state            text        NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    lease_owner      text        NULL,
    lease_until      timestamptz NULL,
    last_status      integer     NULL,
    last_error       text        NULL,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz NULL,
    UNIQUE (event_id, endpoint_id)
);

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX ix_webhook_deliveries_state ON webhook_deliveries (state, id);

CREATE TABLE delivery_attempts (
    id           bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  bigint           NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      integer          NOT NULL,
    attempted_at timestamptz      NOT NULL,
    status_code  integer          NULL,
    latency_ms   double precision NOT NULL,
    error        text             NULL
);

CREATE INDEX ix_delivery_attempts_delivery ON delivery_attempts (delivery_id, id);
