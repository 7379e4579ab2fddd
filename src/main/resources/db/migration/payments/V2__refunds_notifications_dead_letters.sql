-- Refunds, notifications and the dead-letter record of payments whose processing gave up.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('CREATED', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'PARTIALLY_REFUNDED', 'REFUNDED'));
ALTER TABLE payments ADD COLUMN idempotency_key TEXT;
ALTER TABLE payments ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0);
ALTER TABLE payments ADD CONSTRAINT payments_refunds_within_amount CHECK (refunded_minor <= amount_minor);

CREATE TABLE refunds
(
    payment_id   UUID        NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    position     INT         NOT NULL,
    id           UUID        NOT NULL UNIQUE,
    amount_minor BIGINT      NOT NULL CHECK (amount_minor > 0),
    reason       TEXT,
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (payment_id, position)
);

CREATE TABLE notifications
(
    id         UUID PRIMARY KEY,
    payment_id UUID,
    order_id   UUID        NOT NULL,
    recipient  TEXT        NOT NULL,
    channel    TEXT        NOT NULL,
    template   TEXT        NOT NULL,
    status     TEXT        NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    created_at TIMESTAMPTZ NOT NULL,
    sent_at    TIMESTAMPTZ,
    -- one notification per template and subject: events arrive at least once
    CONSTRAINT notifications_once UNIQUE NULLS NOT DISTINCT (template, order_id, payment_id)
);

CREATE TABLE dead_letters
(
    payment_id     UUID PRIMARY KEY REFERENCES payments (id) ON DELETE CASCADE,
    topic          TEXT        NOT NULL,
    error          TEXT,
    dead_at        TIMESTAMPTZ NOT NULL,
    requeued_at    TIMESTAMPTZ
);
