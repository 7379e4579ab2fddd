-- Refunds wait for the provider's answer: PENDING until it approves (SUCCEEDED) or refuses
-- (FAILED). Money asked back but not yet answered counts against the amount, so pending and
-- succeeded refunds together can never exceed what was captured.
ALTER TABLE refunds ADD COLUMN status TEXT NOT NULL DEFAULT 'SUCCEEDED'
    CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED'));
ALTER TABLE refunds ALTER COLUMN status DROP DEFAULT;
ALTER TABLE refunds ADD COLUMN failure_reason TEXT;
ALTER TABLE refunds ADD COLUMN settled_at TIMESTAMPTZ;
UPDATE refunds SET settled_at = at;

ALTER TABLE payments ADD COLUMN pending_refund_minor BIGINT NOT NULL DEFAULT 0 CHECK (pending_refund_minor >= 0);
ALTER TABLE payments DROP CONSTRAINT payments_refunds_within_amount;
ALTER TABLE payments ADD CONSTRAINT payments_refunds_within_amount
    CHECK (refunded_minor + pending_refund_minor <= amount_minor);
