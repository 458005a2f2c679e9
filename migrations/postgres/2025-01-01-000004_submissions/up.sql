-- Contributions on the four tracks, their revisions and their audit trail. Content is stored exactly as accepted
-- (JSON text); the receipt certifies the SHA-256 of its canonical form.
CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES calls (id),
    track_id TEXT NOT NULL REFERENCES tracks (id),
    track_kind TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    language TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'under_review', 'accepted', 'rejected', 'withdrawn')),
    content TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    receipt_number TEXT,
    received_at TIMESTAMP,
    content_sha256 TEXT,
    pledge_status TEXT CHECK (pledge_status IN ('pledged', 'confirmed', 'received')),
    search_text TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT submissions_receipt_number_key UNIQUE (receipt_number)
);
CREATE INDEX submissions_call_id_idx ON submissions (call_id);
CREATE INDEX submissions_track_id_idx ON submissions (track_id);
CREATE INDEX submissions_organisation_id_idx ON submissions (organisation_id);
CREATE INDEX submissions_created_by_idx ON submissions (created_by);
CREATE INDEX submissions_status_idx ON submissions (status);
CREATE INDEX submissions_listing_idx ON submissions (created_at, id);

-- What a submission is about, for filters: `al:<action line>`, `sdg:<n>`, `country:<code>`.
CREATE TABLE submission_tags (
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (submission_id, tag)
);
CREATE INDEX submission_tags_tag_idx ON submission_tags (tag, submission_id);

CREATE TABLE receipt_counters (
    track_id TEXT PRIMARY KEY REFERENCES tracks (id),
    next_value INTEGER NOT NULL
);

CREATE TABLE submission_revisions (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    content TEXT NOT NULL,
    changed_fields TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT submission_revisions_submission_id_number_key UNIQUE (submission_id, number)
);
CREATE INDEX submission_revisions_author_id_idx ON submission_revisions (author_id);

CREATE TABLE submission_events (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    actor_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX submission_events_submission_id_idx ON submission_events (submission_id, created_at);

-- Individual extensions of a track's deadline, for one organisation or one submission, granted by staff.
CREATE TABLE extensions (
    id TEXT PRIMARY KEY,
    track_id TEXT NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    organisation_id TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    submission_id TEXT REFERENCES submissions (id) ON DELETE CASCADE,
    until_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL,
    granted_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK ((organisation_id IS NULL) <> (submission_id IS NULL))
);
CREATE INDEX extensions_track_id_idx ON extensions (track_id);
CREATE INDEX extensions_organisation_id_idx ON extensions (organisation_id);
CREATE INDEX extensions_submission_id_idx ON extensions (submission_id);
CREATE INDEX extensions_granted_by_idx ON extensions (granted_by);

-- Idempotency keys of POST requests, per caller, kept 24 hours: a retry replays the first answer.
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
