-- A submitted entry keeps the stakeholder category and country its organisation had when it was submitted:
-- statistics, filters and the public repository use these, so a later edit of the organisation's profile does not
-- rewrite past outcomes. NULL for drafts (they follow the organisation until submitted). Entries submitted before
-- take the organisation's values as they are now, the best that is known.
ALTER TABLE submissions ADD COLUMN submitted_stakeholder_category TEXT;
ALTER TABLE submissions ADD COLUMN submitted_country_code TEXT;
UPDATE submissions
SET submitted_stakeholder_category = (SELECT o.stakeholder_category FROM organisations o WHERE o.id = submissions.organisation_id),
    submitted_country_code = (SELECT o.country_code FROM organisations o WHERE o.id = submissions.organisation_id)
WHERE status <> 'draft';
