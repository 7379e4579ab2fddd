-- DispatchGo: endpoints, messages, one delivery per (message, endpoint), and every attempt.
CREATE TABLE endpoints
(
    id              UUID PRIMARY KEY,
    url             TEXT        NOT NULL,
    description     TEXT,
    event_types     TEXT[]      NOT NULL,
    enabled         BOOLEAN     NOT NULL,
    secret          TEXT        NOT NULL,
    disabled_reason TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE messages
(
    id              UUID PRIMARY KEY,
    event_type      TEXT        NOT NULL,
    -- the payload exactly as it is sent (and signed), not re-serialized by jsonb
    payload         TEXT        NOT NULL,
    idempotency_key TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    -- a repeated key returns the first message: enforced here, not by check-then-insert
    CONSTRAINT messages_idempotency_key UNIQUE (event_type, idempotency_key)
);

CREATE TABLE deliveries
(
    id               UUID PRIMARY KEY,
    message_id       UUID        NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    endpoint_id      UUID        NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
    status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED')),
    -- attempts started so far; a claim increments it
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    -- the value of attempts when the delivery was last handed to the work queue
    enqueued_attempt INT         NOT NULL DEFAULT 0,
    enqueued_at      TIMESTAMPTZ NOT NULL,
    claimed_at       TIMESTAMPTZ,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CONSTRAINT deliveries_once UNIQUE (message_id, endpoint_id)
);

-- the re-publisher's and the stuck-claim sweeper's scans
CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX deliveries_processing ON deliveries (claimed_at) WHERE status = 'PROCESSING';
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, created_at);
CREATE INDEX deliveries_status ON deliveries (status, created_at);

CREATE TABLE attempts
(
    id            BIGSERIAL PRIMARY KEY,
    delivery_id   UUID        NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    number        INT         NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL,
    status_code   INT,
    latency_ms    BIGINT      NOT NULL,
    error         TEXT,
    response_body TEXT
);

CREATE INDEX attempts_delivery ON attempts (delivery_id, number);
