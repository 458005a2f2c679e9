-- Attempts counted per key and clock hour (the WSIS Prizes' vote attempts per client address: docs/prizes.md): one
-- row per key and hour, bumped by one statement that also answers the count, so that a vote costs one write here
-- and a million votes leave a row per address and hour, not a row per vote.
CREATE TABLE hourly_counters (
    throttle_key TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (throttle_key, window_start)
);
