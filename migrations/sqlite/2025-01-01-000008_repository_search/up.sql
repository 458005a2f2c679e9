-- A full-text index of the public repository alone (accepted stocktaking entries), keyed like `submissions_fts` by
-- `submission_search_rows.rowid`. A public search is then answered by FTS5 itself, best first, without looking at
-- the rows of the matches: `submissions_fts` also indexes drafts, other tracks and entries under review, so a public
-- search through it had to join every match to `submissions` to check its track and status before it could rank and
-- cut the page (13 ms for 3,312 matches of one word at 100,000 projects; see docs/performance.md). An entry enters
-- this index when it is accepted and leaves it when it stops being public.
CREATE VIRTUAL TABLE repository_fts USING fts5 (
    search_text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO repository_fts (rowid, search_text)
    SELECT r.rowid, s.search_text FROM submission_search_rows r JOIN submissions s ON s.id = r.submission_id
    WHERE s.track_kind = 'stocktaking' AND s.status = 'accepted';

-- SQLite does not promise an order among triggers of one event, and the public index needs the row key that the
-- insert trigger creates and the delete trigger removes: each event's steps become one trigger, in order.
DROP TRIGGER submissions_search_insert;
CREATE TRIGGER submissions_search_insert AFTER INSERT ON submissions BEGIN
    INSERT INTO submission_search_rows (submission_id) VALUES (new.id);
    INSERT INTO submissions_fts (rowid, search_text)
        VALUES ((SELECT rowid FROM submission_search_rows WHERE submission_id = new.id), new.search_text);
    INSERT INTO repository_fts (rowid, search_text)
        SELECT rowid, new.search_text FROM submission_search_rows
        WHERE submission_id = new.id AND new.track_kind = 'stocktaking' AND new.status = 'accepted';
END;
DROP TRIGGER submissions_search_delete;
CREATE TRIGGER submissions_search_delete AFTER DELETE ON submissions BEGIN
    DELETE FROM repository_fts
        WHERE old.track_kind = 'stocktaking' AND old.status = 'accepted'
          AND rowid = (SELECT rowid FROM submission_search_rows WHERE submission_id = old.id);
    DELETE FROM submissions_fts WHERE rowid = (SELECT rowid FROM submission_search_rows WHERE submission_id = old.id);
    DELETE FROM submission_search_rows WHERE submission_id = old.id;
END;
CREATE TRIGGER repository_search_update AFTER UPDATE OF track_kind, status, search_text ON submissions
    WHEN ((old.track_kind = 'stocktaking' AND old.status = 'accepted')
          OR (new.track_kind = 'stocktaking' AND new.status = 'accepted'))
     AND (old.track_kind IS NOT new.track_kind OR old.status IS NOT new.status
          OR old.search_text IS NOT new.search_text) BEGIN
    DELETE FROM repository_fts
        WHERE old.track_kind = 'stocktaking' AND old.status = 'accepted'
          AND rowid = (SELECT rowid FROM submission_search_rows WHERE submission_id = old.id);
    INSERT INTO repository_fts (rowid, search_text)
        SELECT rowid, new.search_text FROM submission_search_rows
        WHERE submission_id = new.id AND new.track_kind = 'stocktaking' AND new.status = 'accepted';
END;
