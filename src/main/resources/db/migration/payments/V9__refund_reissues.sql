-- Refund requests the reconciler issued again for refunds still PENDING after created-timeout
-- (the first request was lost, or is not being consumed), as processing_reissues does for
-- payments. A table of its own, without a foreign key, rather than a column on refunds: the
-- Payment aggregate deletes and inserts its refund rows whenever it is saved, and a claim must
-- survive that.
CREATE TABLE refund_reissues
(
    refund_id   UUID PRIMARY KEY,
    reissued_at TIMESTAMPTZ NOT NULL,
    reissues    INT         NOT NULL CHECK (reissues > 0)
);
CREATE INDEX refunds_pending_since ON refunds (at) WHERE status = 'PENDING';
