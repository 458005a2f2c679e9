-- WSIS Prizes awards chosen by staff on accepted nominations: `champion` (among the most voted) or `winner`.
-- A project that has won before is not eligible again: the nomination check reads the winners recorded here.
ALTER TABLE submissions ADD COLUMN prize_award TEXT CHECK (prize_award IN ('champion', 'winner'));
CREATE INDEX submissions_prize_award_idx ON submissions (prize_award) WHERE prize_award IS NOT NULL;
