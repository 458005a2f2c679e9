DROP INDEX submissions_prize_award_idx;
ALTER TABLE submissions DROP COLUMN prize_award;
