-- The version of what the public repository shows: bumped, in the same transaction, by every change that can alter
-- a public read (an accepted stocktaking entry appearing, changing or leaving; an organisation or a call changing).
-- Every API instance compares it before answering a public read from its own cache of rendered pages, so a cached
-- page is never older than the last committed change, whichever instance made it. The update trigger names the
-- columns through which a public entry changes (its status, its content: every content change also sets the
-- `updated_at` a project shows), so statements that touch neither do not run it.
CREATE TABLE repository_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO repository_version (id, version) VALUES (1, 1);

CREATE TRIGGER repository_version_submission_insert AFTER INSERT ON submissions
    WHEN new.track_kind = 'stocktaking' AND new.status = 'accepted' BEGIN
    UPDATE repository_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER repository_version_submission_update
    AFTER UPDATE OF status, content ON submissions
    WHEN (old.track_kind = 'stocktaking' AND old.status = 'accepted')
      OR (new.track_kind = 'stocktaking' AND new.status = 'accepted') BEGIN
    UPDATE repository_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER repository_version_submission_delete AFTER DELETE ON submissions
    WHEN old.track_kind = 'stocktaking' AND old.status = 'accepted' BEGIN
    UPDATE repository_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER repository_version_organisation_update AFTER UPDATE ON organisations BEGIN
    UPDATE repository_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER repository_version_organisation_delete AFTER DELETE ON organisations BEGIN
    UPDATE repository_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER repository_version_call_update AFTER UPDATE ON calls BEGIN
    UPDATE repository_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER repository_version_call_delete AFTER DELETE ON calls BEGIN
    UPDATE repository_version SET version = version + 1 WHERE id = 1;
END;
