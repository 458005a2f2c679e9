DROP TABLE prize_audit;
DROP TABLE prize_votes;
DROP TABLE prize_publications;
DROP TABLE prize_nominees;
DROP TABLE prize_phases;
