ALTER TABLE calls DROP COLUMN prize_narrative_min_words;
