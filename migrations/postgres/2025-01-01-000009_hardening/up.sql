-- Receipts: the check code the submitter holds (in the receipt and its mail). The public receipt check answers only
-- to the number together with this code, so walking numbers learns nothing. Entries submitted before get a code now;
-- their owners read it from GET /submissions/{id}/receipt.
ALTER TABLE submissions ADD COLUMN receipt_check TEXT;
UPDATE submissions SET receipt_check = substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)
    WHERE receipt_number IS NOT NULL;

-- Idempotency claims are leased: a claim whose request died (crash, kill -9) is taken over once the lease has run
-- out instead of answering "in flight" for a day. NULL: completed, or claimed before leases (taken over at once).
ALTER TABLE idempotency_keys ADD COLUMN lease_expires_at TIMESTAMP;
ALTER TABLE idempotency_keys ADD COLUMN claim_id TEXT;
