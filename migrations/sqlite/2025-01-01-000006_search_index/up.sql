-- Full-text search and title order over submissions (the public repository and the staff listing).
--
-- `search_text` holds the folded terms of the title and description (wsis_domain::search::document: case, Latin
-- diacritics and Arabic letter forms folded, each CJK ideograph a term of its own). FTS5 indexes it with the
-- unicode61 tokenizer, which splits it exactly where the folding put spaces. The index is contentless (the text
-- stays in `submissions` only), so a search reads the index and nothing else; FTS5 keys rows by an integer, and the
-- submissions' implicit rowid may change on VACUUM, so a mapping table with an INTEGER PRIMARY KEY gives each
-- submission a stable one. Triggers keep both in step with every insert, change and delete.
CREATE TABLE submission_search_rows (
    rowid INTEGER PRIMARY KEY,
    submission_id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE submissions_fts USING fts5 (
    search_text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO submission_search_rows (submission_id) SELECT id FROM submissions ORDER BY created_at, id;
INSERT INTO submissions_fts (rowid, search_text)
    SELECT r.rowid, s.search_text FROM submission_search_rows r JOIN submissions s ON s.id = r.submission_id;

CREATE TRIGGER submissions_search_insert AFTER INSERT ON submissions BEGIN
    INSERT INTO submission_search_rows (submission_id) VALUES (new.id);
    INSERT INTO submissions_fts (rowid, search_text)
        VALUES ((SELECT rowid FROM submission_search_rows WHERE submission_id = new.id), new.search_text);
END;
CREATE TRIGGER submissions_search_update AFTER UPDATE OF search_text ON submissions
    WHEN old.search_text IS NOT new.search_text BEGIN
    DELETE FROM submissions_fts WHERE rowid = (SELECT rowid FROM submission_search_rows WHERE submission_id = new.id);
    INSERT INTO submissions_fts (rowid, search_text)
        VALUES ((SELECT rowid FROM submission_search_rows WHERE submission_id = new.id), new.search_text);
END;
CREATE TRIGGER submissions_search_delete AFTER DELETE ON submissions BEGIN
    DELETE FROM submissions_fts WHERE rowid = (SELECT rowid FROM submission_search_rows WHERE submission_id = old.id);
    DELETE FROM submission_search_rows WHERE submission_id = old.id;
END;

-- `sort=title`: the folded title (wsis_domain::search::sort_key), kept by the application. Rows stored before this
-- migration get their lower-cased title; the next change of each refolds it.
ALTER TABLE submissions ADD COLUMN sort_title TEXT NOT NULL DEFAULT '';
UPDATE submissions SET sort_title = lower(coalesce(json_extract(content, '$.title'), ''));
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
