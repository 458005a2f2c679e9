DROP TABLE track_kinds;
DROP TABLE currencies;
DROP TABLE prize_categories;
DROP TABLE sdgs;
DROP TABLE action_lines;
DROP TABLE countries;
DROP TABLE regions;
DROP TABLE stakeholder_categories;
