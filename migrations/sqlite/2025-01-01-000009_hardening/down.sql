ALTER TABLE idempotency_keys DROP COLUMN claim_id;
ALTER TABLE idempotency_keys DROP COLUMN lease_expires_at;
ALTER TABLE submissions DROP COLUMN receipt_check;
