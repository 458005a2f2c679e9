DROP TRIGGER repository_search_update ON submissions;
DROP TRIGGER repository_search_insert ON submissions;
DROP FUNCTION repository_search_sync();
DROP TABLE repository_search;
