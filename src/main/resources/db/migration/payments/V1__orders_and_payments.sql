-- FlowPay's tables, in the payments schema (Flyway runs this with payments as default schema).
CREATE TABLE orders
(
    id                 UUID PRIMARY KEY,
    customer_reference TEXT        NOT NULL,
    currency           CHAR(3)     NOT NULL,
    total_minor        BIGINT      NOT NULL CHECK (total_minor > 0),
    status             TEXT        NOT NULL CHECK (status IN ('CREATED', 'PAID', 'CANCELLED')),
    paid_by            UUID,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    version            BIGINT      NOT NULL
);
CREATE INDEX orders_by_created_at ON orders (created_at DESC);

CREATE TABLE order_items
(
    order_id         UUID    NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position         INT     NOT NULL,
    description      TEXT    NOT NULL,
    quantity         INT     NOT NULL CHECK (quantity > 0),
    unit_price_minor BIGINT  NOT NULL CHECK (unit_price_minor >= 0),
    PRIMARY KEY (order_id, position)
);

CREATE TABLE payments
(
    id             UUID PRIMARY KEY,
    order_id       UUID        NOT NULL REFERENCES orders (id),
    amount_minor   BIGINT      NOT NULL CHECK (amount_minor > 0),
    currency       CHAR(3)     NOT NULL,
    payment_method TEXT        NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('CREATED', 'PROCESSING', 'SUCCEEDED', 'FAILED')),
    failure_reason TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT      NOT NULL
);
CREATE INDEX payments_by_order ON payments (order_id);
CREATE INDEX payments_processing_since ON payments (updated_at) WHERE status = 'PROCESSING';

CREATE TABLE payment_transitions
(
    payment_id  UUID        NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    position    INT         NOT NULL,
    from_status TEXT,
    to_status   TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (payment_id, position)
);

-- Idempotency-Key records, scoped per API client. The primary key is what makes a key
-- single-use: a second request with the same key loses the INSERT race, it never checks first.
CREATE TABLE idempotency_keys
(
    client_id       TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    fingerprint     TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('IN_FLIGHT', 'COMPLETED')),
    response_status INT,
    response_body   TEXT,
    locked_at       TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, idempotency_key)
);
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
