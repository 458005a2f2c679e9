-- The Expert Group's work on the WSIS Prizes (docs/prizes.md): what each reviewer declares as a conflict of
-- interest, and which nominations staff assign to which reviewer.

-- A reviewer's declared conflicts: an organisation (`kind` organisation, `value` its id) or a country (`kind`
-- country, `value` its ISO code). Membership of an organisation is a conflict without being declared.
CREATE TABLE reviewer_conflicts (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('organisation', 'country')),
    value TEXT NOT NULL,
    declared_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, kind, value)
);

-- Which reviewer reviews which nomination.
CREATE TABLE prize_assignments (
    nomination_id TEXT NOT NULL REFERENCES submissions (id),
    reviewer_id TEXT NOT NULL REFERENCES users (id),
    call_id TEXT NOT NULL REFERENCES calls (id),
    assigned_by TEXT NOT NULL,
    assigned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (nomination_id, reviewer_id)
);
CREATE INDEX prize_assignments_reviewer_idx ON prize_assignments (reviewer_id, call_id);
CREATE INDEX prize_assignments_call_idx ON prize_assignments (call_id);
