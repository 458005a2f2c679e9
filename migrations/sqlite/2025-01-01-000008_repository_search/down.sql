DROP TRIGGER repository_search_update;
DROP TRIGGER submissions_search_delete;
CREATE TRIGGER submissions_search_delete AFTER DELETE ON submissions BEGIN
    DELETE FROM submissions_fts WHERE rowid = (SELECT rowid FROM submission_search_rows WHERE submission_id = old.id);
    DELETE FROM submission_search_rows WHERE submission_id = old.id;
END;
DROP TRIGGER submissions_search_insert;
CREATE TRIGGER submissions_search_insert AFTER INSERT ON submissions BEGIN
    INSERT INTO submission_search_rows (submission_id) VALUES (new.id);
    INSERT INTO submissions_fts (rowid, search_text)
        VALUES ((SELECT rowid FROM submission_search_rows WHERE submission_id = new.id), new.search_text);
END;
DROP TABLE repository_fts;
