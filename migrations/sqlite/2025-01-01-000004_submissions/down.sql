DROP TABLE idempotency_keys;
DROP TABLE extensions;
DROP TABLE submission_events;
DROP TABLE submission_revisions;
DROP TABLE receipt_counters;
DROP TABLE submission_tags;
DROP TABLE submissions;
