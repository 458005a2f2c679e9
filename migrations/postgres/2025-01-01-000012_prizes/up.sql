-- The WSIS Prizes after their nominations (docs/prizes.md): the phases of a prizes track, the nominees, the
-- publications, the public votes and the audit trail of each step.

-- A prizes track's phases, each a window resolved like the track's (rules as JSON, instants in UTC).
CREATE TABLE prize_phases (
    track_id TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    phase TEXT NOT NULL CHECK (phase IN ('review', 'nominees', 'voting', 'results')),
    timezone TEXT NOT NULL,
    opens_rule TEXT NOT NULL,
    closes_rule TEXT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (track_id, phase),
    CHECK (opens_at < closes_at)
);

-- The nominees: accepted nominations shortlisted by staff, with what the public list shows of their project as it
-- was when shortlisted (the list is frozen when it is published). `winner` is staff's record of the Expert Group's
-- choice among the champions.
CREATE TABLE prize_nominees (
    nomination_id TEXT PRIMARY KEY REFERENCES submissions (id),
    call_id TEXT NOT NULL REFERENCES calls (id),
    category INTEGER NOT NULL REFERENCES prize_categories (number),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    project_id TEXT NOT NULL,
    title TEXT NOT NULL,
    short_description TEXT NOT NULL,
    winner BOOLEAN NOT NULL DEFAULT FALSE,
    added_by TEXT NOT NULL,
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX prize_nominees_call_category_idx ON prize_nominees (call_id, category);

-- What staff published, once: the nominee list, the results.
CREATE TABLE prize_publications (
    call_id TEXT NOT NULL REFERENCES calls (id),
    kind TEXT NOT NULL CHECK (kind IN ('nominees', 'results')),
    published_at TIMESTAMP NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (call_id, kind)
);

-- Public votes: one per voter per category of a call, final. The constraint holds across API instances and under
-- concurrent requests. An invalidated vote stays (it still takes the voter's place) and stops counting.
CREATE TABLE prize_votes (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls (id),
    category INTEGER NOT NULL REFERENCES prize_categories (number),
    voter_id TEXT NOT NULL REFERENCES users (id),
    nominee_id TEXT NOT NULL REFERENCES prize_nominees (nomination_id),
    cast_at TIMESTAMP NOT NULL,
    client_address TEXT,
    invalidated_at TIMESTAMP,
    invalidated_by TEXT,
    invalidation_reason TEXT,
    CONSTRAINT prize_votes_one_per_category UNIQUE (call_id, category, voter_id)
);
CREATE INDEX prize_votes_tally_idx ON prize_votes (call_id, category, nominee_id);
CREATE INDEX prize_votes_voter_idx ON prize_votes (voter_id);

-- Every step of the Prizes, who took it and when.
CREATE TABLE prize_audit (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls (id),
    action TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    subject TEXT,
    detail TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX prize_audit_call_idx ON prize_audit (call_id, at);

-- The 2025 call stored before this migration gets the phases of its letter (Europe/Zurich).
INSERT INTO prize_phases (track_id, phase, timezone, opens_rule, closes_rule, opens_at, closes_at, updated_at)
SELECT t.id, p.phase, t.timezone, p.opens_rule, p.closes_rule, p.opens_at, p.closes_at, t.updated_at
FROM tracks t
JOIN calls c ON c.id = t.call_id
CROSS JOIN (
    SELECT 'review' AS phase,
           '{"rule":"start_of_local_day","date":"2025-02-11"}' AS opens_rule,
           '{"rule":"end_of_local_day","date":"2025-03-13"}' AS closes_rule,
           CAST('2025-02-10 23:00:00' AS TIMESTAMP) AS opens_at,
           CAST('2025-03-13 22:59:59' AS TIMESTAMP) AS closes_at
    UNION ALL SELECT 'nominees', '{"rule":"start_of_local_day","date":"2025-03-14"}',
           '{"rule":"end_of_local_day","date":"2025-03-14"}',
           CAST('2025-03-13 23:00:00' AS TIMESTAMP), CAST('2025-03-14 22:59:59' AS TIMESTAMP)
    UNION ALL SELECT 'voting', '{"rule":"start_of_local_day","date":"2025-03-14"}',
           '{"rule":"end_of_local_day","date":"2025-04-14"}',
           CAST('2025-03-13 23:00:00' AS TIMESTAMP), CAST('2025-04-14 21:59:59' AS TIMESTAMP)
    UNION ALL SELECT 'results', '{"rule":"start_of_local_day","date":"2025-07-07"}',
           '{"rule":"end_of_local_day","date":"2025-12-31"}',
           CAST('2025-07-06 22:00:00' AS TIMESTAMP), CAST('2025-12-31 22:59:59' AS TIMESTAMP)
) p
WHERE c.slug = 'wsis-2025' AND t.kind = 'prizes';
