DROP TABLE prize_reviews;
ALTER TABLE calls DROP COLUMN prize_rules;
