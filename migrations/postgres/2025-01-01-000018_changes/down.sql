DROP TABLE webhook_deliveries;
DROP TABLE webhook_secrets;
DROP TABLE webhook_endpoints;
DROP TABLE change_events;
DROP SEQUENCE change_seq;
