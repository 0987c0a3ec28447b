-- Deliveries taken live are no longer written as leased rows by the ledger's batch and then updated
-- when settled. The batch writes one lease per endpoint instead (its events as a space-separated
-- list); each delivery's row is written once, after its send, in its final state; the lease goes with
-- its last delivery's record, or is taken over once it runs out (its deliveries with no row yet are
-- written pending, for the claims).
CREATE TABLE live_leases (
    owner        TEXT    NOT NULL PRIMARY KEY,
    endpoint_id  TEXT    NOT NULL,
    lease_until  TEXT    NOT NULL,
    deliveries   INTEGER NOT NULL CHECK (deliveries > 0),
    event_ids    TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);

-- The take-over's read: leases that ran out, oldest first.
CREATE INDEX ix_live_leases_until ON live_leases (lease_until);
