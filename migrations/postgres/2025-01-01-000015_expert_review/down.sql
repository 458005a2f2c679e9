DROP TABLE prize_assignments;
DROP TABLE reviewer_conflicts;
