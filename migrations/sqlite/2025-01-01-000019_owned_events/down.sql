ALTER TABLE change_events DROP COLUMN client_id;
