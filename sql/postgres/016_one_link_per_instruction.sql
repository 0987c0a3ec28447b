-- One transaction per Orchestrator instruction, and references that are identifiers. Before this, two
-- transactions could be linked to the same (order_ref, instruction_ref), each sending the instruction
-- its statuses, and a reference made only of dots ("." or "..") walked the Orchestrator's URL path.
-- Links that break either rule are set aside, not deleted: of several links to one instruction the
-- first made (then the lowest transaction id) stays, the others and every dot-only link move to
-- instruction_link_conflicts for an operator to look at; nothing more is sent for them.
CREATE TABLE instruction_link_conflicts (
    transaction_id   text        NOT NULL PRIMARY KEY,
    order_ref        text        NOT NULL,
    instruction_ref  text        NOT NULL,
    metadata         text        NULL,
    last_status      text        NULL,
    last_version     bigint      NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    reason           text        NOT NULL CHECK (reason IN ('dot_only_reference', 'instruction_linked_twice'))
);

INSERT INTO instruction_link_conflicts
    (transaction_id, order_ref, instruction_ref, metadata, last_status, last_version, created_at, updated_at, reason)
SELECT l.transaction_id, l.order_ref, l.instruction_ref, l.metadata, l.last_status, l.last_version, l.created_at, l.updated_at,
       CASE WHEN btrim(l.order_ref, '.') = '' OR btrim(l.instruction_ref, '.') = '' THEN 'dot_only_reference' ELSE 'instruction_linked_twice' END
FROM instruction_links l
WHERE btrim(l.order_ref, '.') = '' OR btrim(l.instruction_ref, '.') = ''
   OR EXISTS (SELECT 1 FROM instruction_links o
              WHERE o.order_ref = l.order_ref AND o.instruction_ref = l.instruction_ref
                AND (o.created_at < l.created_at OR (o.created_at = l.created_at AND o.transaction_id < l.transaction_id)));

DELETE FROM instruction_links WHERE transaction_id IN (SELECT transaction_id FROM instruction_link_conflicts);

CREATE UNIQUE INDEX ux_instruction_links_instruction ON instruction_links (order_ref, instruction_ref);
ALTER TABLE instruction_links ADD CONSTRAINT ck_instruction_links_not_dots
    CHECK (btrim(order_ref, '.') <> '' AND btrim(instruction_ref, '.') <> '');
