-- What the demo receiver answered, so the dashboard's list of received webhooks survives a
-- restart. Only the last few hundred rows are kept (the receiver prunes as it inserts).
CREATE TABLE demo_webhook_requests (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id       TEXT,
    event_type       TEXT,
    received_at      TIMESTAMPTZ NOT NULL,
    signature_valid  BOOLEAN     NOT NULL,
    answered_status  INT         NOT NULL
);
