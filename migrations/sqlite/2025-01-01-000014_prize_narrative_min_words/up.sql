-- The fewest words each narrative answer of a WSIS Prizes nomination must have (impact, SDG linkage, partnerships,
-- challenges, future plans), as the call's form says; 0 sets no minimum (calls stored before keep none).
ALTER TABLE calls ADD COLUMN prize_narrative_min_words INTEGER NOT NULL DEFAULT 0;
