-- The change feed (docs/changes.md): one row per change, written in the change's own transaction. SQLite has one
-- writer at a time, so the order of inserts is the order of commits and `seq` is given at insert; `tx` stays NULL
-- (PostgreSQL numbers rows after their transaction ends: see its migration).
CREATE TABLE change_events (
    id TEXT PRIMARY KEY,
    seq BIGINT UNIQUE,
    tx BIGINT,
    event_type TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    object_version INTEGER,
    call_id TEXT,
    track_kind TEXT,
    action_lines TEXT,
    organisation_id TEXT,
    audience TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);

-- Webhooks (docs/changes.md): endpoints registered by staff or by a partner's API client, each with the event
-- types and filters it wants and its own cursor into the change feed, since delivery is in feed order per endpoint.
-- The lease (`leased_by`, `leased_until`) is how instances share the work: one at a time per endpoint.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    client_id TEXT REFERENCES api_clients (id),
    created_by TEXT,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    event_types TEXT NOT NULL,
    filters TEXT NOT NULL,
    status TEXT NOT NULL,
    disabled_reason TEXT,
    delivered_seq BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL,
    failing_since TIMESTAMP,
    leased_by TEXT,
    leased_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_client_idx ON webhook_endpoints (client_id);
CREATE INDEX webhook_endpoints_due_idx ON webhook_endpoints (next_attempt_at);

-- An endpoint's signing secrets: rotation adds one and gives the one before an expiry, so that both sign meanwhile.
CREATE TABLE webhook_secrets (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP
);
CREATE INDEX webhook_secrets_endpoint_idx ON webhook_secrets (endpoint_id);

-- The delivery log: one row per attempt (`status` succeeded or failed), and the pings and redeliveries asked for and
-- not yet made (`status` pending).
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    seq BIGINT,
    kind TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempted_at TIMESTAMP,
    http_status INTEGER,
    latency_ms INTEGER,
    response_excerpt TEXT,
    error TEXT
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (status, endpoint_id);
