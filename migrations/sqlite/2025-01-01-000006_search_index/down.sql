DROP INDEX submissions_lookup_idx;
DROP INDEX submissions_public_idx;
DROP INDEX submissions_title_idx;
ALTER TABLE submissions DROP COLUMN sort_title;
DROP TRIGGER submissions_search_delete;
DROP TRIGGER submissions_search_update;
DROP TRIGGER submissions_search_insert;
DROP TABLE submissions_fts;
DROP TABLE submission_search_rows;
