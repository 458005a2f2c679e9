ALTER TABLE submissions DROP COLUMN submitted_country_code;
ALTER TABLE submissions DROP COLUMN submitted_stakeholder_category;
