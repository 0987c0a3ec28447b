-- Deliveries taken live are no longer written as leased rows by the ledger's batch and then updated
-- when settled (five index entries on insert, a new row version and two more on settle). The batch
-- writes one lease per endpoint instead (its events as a space-separated list); each delivery's row is
-- written once, after its send, in its final state; the lease goes with its last delivery's record, or
-- is taken over once it runs out (its deliveries with no row yet are written pending, for the claims).
CREATE TABLE live_leases (
    owner        text        PRIMARY KEY,
    endpoint_id  text        NOT NULL,
    lease_until  timestamptz NOT NULL,
    deliveries   integer     NOT NULL CHECK (deliveries > 0),
    event_ids    text        NOT NULL,
    created_at   timestamptz NOT NULL
);

-- The take-over's read: leases that ran out, oldest first.
CREATE INDEX ix_live_leases_until ON live_leases (lease_until);
