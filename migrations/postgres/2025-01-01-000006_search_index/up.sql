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
CREATE INDEX submissions_title_idx ON submissions (sort_title, id, organisation_id, call_id, created_at)
    WHERE track_kind = 'stocktaking' AND status = 'accepted';

-- Covering, partial indexes for the public repository's first phase (keys only; wsis_persistence::submissions::list):
-- accepted stocktaking entries newest first, by title (above), and looked up by id for each search match. Every
-- column the filters and orders read is in them, so no wide row (content) is read until the page is known; being
-- partial, they hold the public entries only and cost nothing while an entry is a draft or under review. The query
-- names the track and status as literals so that SQLite's planner can match these conditions.
CREATE INDEX submissions_public_idx ON submissions (created_at, id, organisation_id, call_id, sort_title)
    WHERE track_kind = 'stocktaking' AND status = 'accepted';
CREATE INDEX submissions_lookup_idx ON submissions (id, organisation_id, call_id, created_at, sort_title)
    WHERE track_kind = 'stocktaking' AND status = 'accepted';

-- The status index selects nothing a listing needs (a status holds most rows; the public listings use the
-- partial indexes above) and
-- cost a write on every status change.
DROP INDEX submissions_status_idx;
