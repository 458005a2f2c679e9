-- The version of what the public repository shows: bumped, in the same transaction, by every change that can alter
-- a public read (an accepted stocktaking entry appearing, changing or leaving; an organisation or a call changing).
-- Every API instance compares it before answering a public read from its own cache of rendered pages, so a cached
-- page is never older than the last committed change, whichever instance made it. Only changes that touch public
-- data take the row's lock, so submissions under review never wait on it.
CREATE TABLE repository_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO repository_version (id, version) VALUES (1, 1);

CREATE FUNCTION bump_repository_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE repository_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER repository_version_submission_insert AFTER INSERT ON submissions FOR EACH ROW
    WHEN (new.track_kind = 'stocktaking' AND new.status = 'accepted')
    EXECUTE FUNCTION bump_repository_version();
CREATE TRIGGER repository_version_submission_update AFTER UPDATE OF status, content ON submissions FOR EACH ROW
    WHEN ((old.track_kind = 'stocktaking' AND old.status = 'accepted')
       OR (new.track_kind = 'stocktaking' AND new.status = 'accepted'))
    EXECUTE FUNCTION bump_repository_version();
CREATE TRIGGER repository_version_submission_delete AFTER DELETE ON submissions FOR EACH ROW
    WHEN (old.track_kind = 'stocktaking' AND old.status = 'accepted')
    EXECUTE FUNCTION bump_repository_version();
CREATE TRIGGER repository_version_organisation_change AFTER UPDATE OR DELETE ON organisations FOR EACH STATEMENT
    EXECUTE FUNCTION bump_repository_version();
CREATE TRIGGER repository_version_call_change AFTER UPDATE OR DELETE ON calls FOR EACH STATEMENT
    EXECUTE FUNCTION bump_repository_version();
