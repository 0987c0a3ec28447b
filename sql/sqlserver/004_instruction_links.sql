-- Links from ORIAN transactions to the Payments Orchestrator instructions they settle.

CREATE TABLE instruction_links (
    transaction_id   nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    -- The Orchestrator's reference format: 1 to 50 of [a-zA-Z0-9._-] (no regular expressions in
    -- T-SQL: "no character outside the class", compared by code point under the binary collation).
    order_ref        nvarchar(50) COLLATE Latin1_General_100_BIN2 NOT NULL
        CONSTRAINT ck_instruction_links_order_ref CHECK (len(order_ref) BETWEEN 1 AND 50 AND order_ref NOT LIKE '%[^a-zA-Z0-9._-]%'),
    instruction_ref  nvarchar(50) COLLATE Latin1_General_100_BIN2 NOT NULL
        CONSTRAINT ck_instruction_links_instruction_ref CHECK (len(instruction_ref) BETWEEN 1 AND 50 AND instruction_ref NOT LIKE '%[^a-zA-Z0-9._-]%'),
    -- Tenant key-value pairs (a JSON object) echoed in webhooks about the transaction.
    metadata         nvarchar(max) NULL,
    -- The last instruction status queued for the Orchestrator and the transaction version it came
    -- from: only a change of status is sent, and never one older than what was sent.
    last_status      nvarchar(16) NULL CONSTRAINT ck_instruction_links_last_status CHECK (last_status IN ('PROCESSING', 'SETTLED', 'FAILED', 'VOID')),
    last_version     bigint       NULL,
    created_at       datetimeoffset(7) NOT NULL,
    updated_at       datetimeoffset(7) NOT NULL
);
