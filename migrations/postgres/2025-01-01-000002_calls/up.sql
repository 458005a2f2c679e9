-- Calls for contributions, the event each prepares, and their tracks with deadline rules.
-- Times are UTC (TIMESTAMP without zone); rules are JSON as the API takes them; opens_at/closes_at are the rules
-- resolved in the track's zone, kept for queries and checked against the rules by the application.
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    year INTEGER NOT NULL,
    timezone TEXT NOT NULL,
    title TEXT NOT NULL,
    letter_date DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT calls_slug_key UNIQUE (slug)
);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    city TEXT NOT NULL,
    country_code TEXT NOT NULL REFERENCES countries (code),
    timezone TEXT NOT NULL,
    co_organisers TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX events_call_id_idx ON events (call_id);
CREATE INDEX events_country_code_idx ON events (country_code);

CREATE TABLE tracks (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind TEXT NOT NULL REFERENCES track_kinds (code),
    timezone TEXT NOT NULL,
    opens_rule TEXT NOT NULL,
    closes_rule TEXT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    grace_seconds INTEGER NOT NULL DEFAULT 0 CHECK (grace_seconds >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT tracks_call_id_kind_key UNIQUE (call_id, kind),
    CHECK (opens_at < closes_at)
);
CREATE INDEX tracks_kind_idx ON tracks (kind);
