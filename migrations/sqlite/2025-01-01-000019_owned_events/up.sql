-- Events of objects that belong to one API client (a webhook endpoint disabled), seen by that client and staff
-- (audience 'owner'; docs/changes.md).
ALTER TABLE change_events ADD COLUMN client_id TEXT;
