-- A decision counts as its request's answer only once confirmed. The deciding transaction records the
-- request's deadline and leaves confirmed_at empty; right after the commit, the decision that won the
-- answer is confirmed (a transaction of its own, conditional on not revoked) before the answer goes
-- out. One left unconfirmed past its deadline never became the answer (the request gave the
-- stand-in, or the process died before answering), and the reconciler revokes it from these columns
-- alone. This replaces the stand-in records, which the request had to write before answering.
ALTER TABLE authorisation_decisions
    ADD COLUMN deadline_at  timestamptz NULL,
    ADD COLUMN confirmed_at timestamptz NULL;

-- Decisions made before this version: one whose request had answered the stand-in before it was made
-- (an open stand-in record answered after the decision) is left unconfirmed, with the stand-in's time
-- as its deadline, and is revoked at the first start; every other one was its request's answer.
UPDATE authorisation_decisions d SET deadline_at = s.answered_at
FROM authorisation_standins s
WHERE s.transaction_id = d.transaction_id AND s.version = d.version AND s.resolved_at IS NULL
  AND d.decided_at <= s.answered_at AND NOT d.revoked AND NOT d.timed_out;
UPDATE authorisation_decisions SET confirmed_at = decided_at WHERE deadline_at IS NULL AND NOT revoked;

-- A decision is confirmed, revoked, or waiting for one of the two with a deadline; never both.
ALTER TABLE authorisation_decisions
    ADD CONSTRAINT ck_authorisation_decisions_deadline CHECK (confirmed_at IS NOT NULL OR revoked OR deadline_at IS NOT NULL),
    ADD CONSTRAINT ck_authorisation_decisions_settled CHECK (NOT (revoked AND confirmed_at IS NOT NULL));

DROP TABLE authorisation_standins;

-- Serves the reconciler's scan (deadline passed, neither confirmed nor revoked), page after page in
-- (deadline, key) order. It holds only the decisions between their commit and their confirmation
-- (milliseconds each) and the few that lost: an insert and a delete per decision, nothing more.
CREATE INDEX ix_authorisation_decisions_unconfirmed ON authorisation_decisions (deadline_at, transaction_id, version)
    WHERE confirmed_at IS NULL AND NOT revoked;
