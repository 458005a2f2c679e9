-- The account's lifecycle (docs/identity.md): what a session was seen with, the address an e-mail change moves to,
-- and the account's security log.
ALTER TABLE sessions ADD COLUMN last_used_at TIMESTAMP;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client_address TEXT;
ALTER TABLE sessions ADD COLUMN oauth_client_id TEXT;
ALTER TABLE email_tokens ADD COLUMN new_email TEXT;
CREATE TABLE account_events (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    actor_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    client_address TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX account_events_user_idx ON account_events (user_id, at);
