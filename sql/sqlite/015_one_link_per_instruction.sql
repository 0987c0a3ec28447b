-- One transaction per Orchestrator instruction, and references that are identifiers. Before this, two
-- transactions could be linked to the same (order_ref, instruction_ref), each sending the instruction
-- its statuses, and a reference made only of dots ("." or "..") walked the Orchestrator's URL path.
-- Links that break either rule are set aside, not deleted: of several links to one instruction the
-- first made (then the lowest transaction id) stays, the others and every dot-only link move to
-- instruction_link_conflicts for an operator to look at; nothing more is sent for them.
CREATE TABLE instruction_link_conflicts (
    transaction_id   TEXT    NOT NULL PRIMARY KEY,
    order_ref        TEXT    NOT NULL,
    instruction_ref  TEXT    NOT NULL,
    metadata         TEXT    NULL,
    last_status      TEXT    NULL,
    last_version     INTEGER NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    reason           TEXT    NOT NULL CHECK (reason IN ('dot_only_reference', 'instruction_linked_twice'))
);

INSERT INTO instruction_link_conflicts
    (transaction_id, order_ref, instruction_ref, metadata, last_status, last_version, created_at, updated_at, reason)
SELECT l.transaction_id, l.order_ref, l.instruction_ref, l.metadata, l.last_status, l.last_version, l.created_at, l.updated_at,
       CASE WHEN trim(l.order_ref, '.') = '' OR trim(l.instruction_ref, '.') = '' THEN 'dot_only_reference' ELSE 'instruction_linked_twice' END
FROM instruction_links l
WHERE trim(l.order_ref, '.') = '' OR trim(l.instruction_ref, '.') = ''
   OR EXISTS (SELECT 1 FROM instruction_links o
              WHERE o.order_ref = l.order_ref AND o.instruction_ref = l.instruction_ref
                AND (o.created_at < l.created_at OR (o.created_at = l.created_at AND o.transaction_id < l.transaction_id)));

DELETE FROM instruction_links WHERE transaction_id IN (SELECT transaction_id FROM instruction_link_conflicts);

CREATE UNIQUE INDEX ux_instruction_links_instruction ON instruction_links (order_ref, instruction_ref);

-- SQLite cannot add a CHECK to a table: triggers refuse dot-only references instead.
CREATE TRIGGER tr_instruction_links_not_dots_insert BEFORE INSERT ON instruction_links
WHEN trim(NEW.order_ref, '.') = '' OR trim(NEW.instruction_ref, '.') = ''
BEGIN
    SELECT RAISE(ABORT, 'instruction_links: a reference cannot be made only of dots');
END;

CREATE TRIGGER tr_instruction_links_not_dots_update BEFORE UPDATE OF order_ref, instruction_ref ON instruction_links
WHEN trim(NEW.order_ref, '.') = '' OR trim(NEW.instruction_ref, '.') = ''
BEGIN
    SELECT RAISE(ABORT, 'instruction_links: a reference cannot be made only of dots');
END;
