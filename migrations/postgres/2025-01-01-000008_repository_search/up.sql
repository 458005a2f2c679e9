-- The full-text vectors of the public repository alone (accepted stocktaking entries), in a narrow table of their
-- own with its GIN index. A public search ranks every match with `ts_rank_cd`, which needs the vector of each: read
-- from `submissions`, that was a heap fetch of a wide row (content and all) per match, one table block each (5,045
-- blocks for 3,312 matches of one word at 100,000 projects; docs/performance.md). Here the rows are small and
-- together. Triggers add an entry when it is accepted and remove it when it stops being public; a deleted
-- submission takes its row with it. SQLite has the same split (`repository_fts`).
CREATE TABLE repository_search (
    submission_id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    search_vector tsvector NOT NULL
);
CREATE INDEX repository_search_vector_idx ON repository_search USING gin (search_vector);
INSERT INTO repository_search (submission_id, search_vector)
    SELECT id, search_vector FROM submissions WHERE track_kind = 'stocktaking' AND status = 'accepted';

CREATE FUNCTION repository_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM repository_search WHERE submission_id = OLD.id;
    END IF;
    IF NEW.track_kind = 'stocktaking' AND NEW.status = 'accepted' THEN
        INSERT INTO repository_search (submission_id, search_vector) VALUES (NEW.id, NEW.search_vector);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER repository_search_insert AFTER INSERT ON submissions
    FOR EACH ROW WHEN (NEW.track_kind = 'stocktaking' AND NEW.status = 'accepted')
    EXECUTE FUNCTION repository_search_sync();
CREATE TRIGGER repository_search_update AFTER UPDATE OF track_kind, status, search_text ON submissions
    FOR EACH ROW WHEN (((OLD.track_kind = 'stocktaking' AND OLD.status = 'accepted')
                        OR (NEW.track_kind = 'stocktaking' AND NEW.status = 'accepted'))
                       AND (OLD.track_kind IS DISTINCT FROM NEW.track_kind OR OLD.status IS DISTINCT FROM NEW.status
                            OR OLD.search_text IS DISTINCT FROM NEW.search_text))
    EXECUTE FUNCTION repository_search_sync();
