DROP TABLE account_events;
ALTER TABLE email_tokens DROP COLUMN new_email;
ALTER TABLE sessions DROP COLUMN oauth_client_id;
ALTER TABLE sessions DROP COLUMN client_address;
ALTER TABLE sessions DROP COLUMN user_agent;
ALTER TABLE sessions DROP COLUMN last_used_at;
