DROP TABLE hourly_counters;
