CREATE INDEX submissions_status_idx ON submissions (status);
DROP INDEX submissions_lookup_idx;
DROP INDEX submissions_public_idx;
DROP INDEX submissions_title_idx;
ALTER TABLE submissions DROP COLUMN sort_title;
DROP INDEX submissions_search_vector_idx;
ALTER TABLE submissions DROP COLUMN search_vector;
