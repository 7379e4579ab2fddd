-- The demo receiver's endpoint and its signing secret, which the webhooks API shows only once,
-- at creation: kept so a second run of the demo still verifies signatures of the same endpoint.
CREATE TABLE demo_webhook_receiver (
    endpoint_id UUID PRIMARY KEY,
    url         TEXT        NOT NULL,
    secret      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
