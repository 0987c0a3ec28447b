-- One transaction per Orchestrator instruction, and references that are identifiers. Before this, two
-- transactions could be linked to the same (order_ref, instruction_ref), each sending the instruction
-- its statuses, and a reference made only of dots ("." or "..") walked the Orchestrator's URL path.
-- Links that break either rule are set aside, not deleted: of several links to one instruction the
-- first made (then the lowest transaction id) stays, the others and every dot-only link move to
-- instruction_link_conflicts for an operator to look at; nothing more is sent for them.
-- "Only dots": REPLACE removes every '.', and LEN of what is left is 0.
CREATE TABLE instruction_link_conflicts (
    transaction_id   nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_instruction_link_conflicts PRIMARY KEY,
    order_ref        nvarchar(50) COLLATE Latin1_General_100_BIN2 NOT NULL,
    instruction_ref  nvarchar(50) COLLATE Latin1_General_100_BIN2 NOT NULL,
    metadata         nvarchar(max) NULL,
    last_status      nvarchar(16) NULL,
    last_version     bigint       NULL,
    created_at       datetimeoffset(7) NOT NULL,
    updated_at       datetimeoffset(7) NOT NULL,
    reason           nvarchar(32) NOT NULL
        CONSTRAINT ck_instruction_link_conflicts_reason CHECK (reason IN ('dot_only_reference', 'instruction_linked_twice'))
);

INSERT INTO instruction_link_conflicts
    (transaction_id, order_ref, instruction_ref, metadata, last_status, last_version, created_at, updated_at, reason)
SELECT l.transaction_id, l.order_ref, l.instruction_ref, l.metadata, l.last_status, l.last_version, l.created_at, l.updated_at,
       CASE WHEN LEN(REPLACE(l.order_ref, '.', '')) = 0 OR LEN(REPLACE(l.instruction_ref, '.', '')) = 0
            THEN 'dot_only_reference' ELSE 'instruction_linked_twice' END
FROM instruction_links l
WHERE LEN(REPLACE(l.order_ref, '.', '')) = 0 OR LEN(REPLACE(l.instruction_ref, '.', '')) = 0
   OR EXISTS (SELECT 1 FROM instruction_links o
              WHERE o.order_ref = l.order_ref AND o.instruction_ref = l.instruction_ref
                AND (o.created_at < l.created_at OR (o.created_at = l.created_at AND o.transaction_id < l.transaction_id)));

DELETE FROM instruction_links WHERE transaction_id IN (SELECT transaction_id FROM instruction_link_conflicts);

CREATE UNIQUE INDEX ux_instruction_links_instruction ON instruction_links (order_ref, instruction_ref);
ALTER TABLE instruction_links ADD CONSTRAINT ck_instruction_links_not_dots
    CHECK (LEN(REPLACE(order_ref, '.', '')) > 0 AND LEN(REPLACE(instruction_ref, '.', '')) > 0);
