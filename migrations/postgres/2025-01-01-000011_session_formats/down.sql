ALTER TABLE calls DROP COLUMN session_formats;
