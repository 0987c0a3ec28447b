-- Deliveries taken live are no longer written as leased rows by the ledger's batch and then updated
-- when settled. The batch writes one lease per endpoint instead (its events as a space-separated
-- list); each delivery's row is written once, after its send, in its final state; the lease goes with
-- its last delivery's record, or is taken over once it runs out (its deliveries with no row yet are
-- written pending, for the claims).
-- Unverified here: no SQL Server runs on our build machines.
CREATE TABLE live_leases (
    owner        nvarchar(200)     COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_live_leases PRIMARY KEY,
    endpoint_id  nvarchar(64)      COLLATE Latin1_General_100_BIN2 NOT NULL,
    lease_until  datetimeoffset(7) NOT NULL,
    deliveries   int               NOT NULL CONSTRAINT ck_live_leases_deliveries CHECK (deliveries > 0),
    event_ids    nvarchar(max)     NOT NULL,
    created_at   datetimeoffset(7) NOT NULL
);

-- The take-over's read: leases that ran out, oldest first.
CREATE INDEX ix_live_leases_until ON live_leases (lease_until);
