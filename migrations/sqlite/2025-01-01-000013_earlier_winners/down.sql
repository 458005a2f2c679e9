DROP TABLE prize_earlier_winners;
