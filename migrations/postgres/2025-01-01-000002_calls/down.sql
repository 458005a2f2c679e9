DROP TABLE tracks;
DROP TABLE events;
DROP TABLE calls;
