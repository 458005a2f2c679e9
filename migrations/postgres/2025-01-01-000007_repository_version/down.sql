DROP TRIGGER repository_version_call_change ON calls;
DROP TRIGGER repository_version_organisation_change ON organisations;
DROP TRIGGER repository_version_submission_delete ON submissions;
DROP TRIGGER repository_version_submission_update ON submissions;
DROP TRIGGER repository_version_submission_insert ON submissions;
DROP FUNCTION bump_repository_version();
DROP TABLE repository_version;
