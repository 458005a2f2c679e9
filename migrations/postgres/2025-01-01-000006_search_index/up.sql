-- Full-text search and title order over submissions (the public repository and the staff listing).
--
-- `search_text` holds the folded terms of the title and description (wsis_domain::search::document: case, Latin
-- diacritics and Arabic letter forms folded, each CJK ideograph a term of its own). The `simple` configuration
-- neither stems nor drops stop words, so the vector holds exactly those terms, in every language alike; a
-- generated column keeps it in step and a GIN index serves `@@`.
ALTER TABLE submissions ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED;
CREATE INDEX submissions_search_vector_idx ON submissions USING gin (search_vector);

-- `sort=title`: the folded title (wsis_domain::search::sort_key), kept by the application. Rows stored before this
-- migration get their lower-cased title; the next change of each refolds it. Byte order ("C"), as SQLite
-- sorts, so both backends page alike.
ALTER TABLE submissions ADD COLUMN sort_title TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE submissions SET sort_title = lower(coalesce(content::jsonb ->> 'title', ''));
CREATE INDEX submissions_title_idx ON submissions (track_kind, status, sort_title, id, organisation_id, call_id, created_at);

-- Covering indexes for the listings' first phase (keys only; wsis_persistence::submissions::list): the public
-- repository walks accepted stocktaking entries newest first; a search looks up each match by id. Every column the
-- filters and orders read is in them, so no wide row (content) is read until the page is known. The title index
-- above serves `sort=title` the same way.
CREATE INDEX submissions_public_idx ON submissions (track_kind, status, created_at, id, organisation_id, call_id, sort_title);
CREATE INDEX submissions_lookup_idx ON submissions (id, track_kind, status, organisation_id, call_id, created_at, sort_title);
