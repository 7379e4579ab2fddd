-- The simulated payment provider's own record of what it was asked and what it answered, kept
-- with the demo data so that, like a real provider, it still knows a charge after a restart and
-- answers a repeated one with its first answer. Owned by SimulatedProviderRecord alone: FlowPay's
-- code learns about charges only through the PaymentProvider port.
CREATE TABLE simulated_provider_requests
(
    kind            TEXT        NOT NULL CHECK (kind IN ('CHARGE', 'REFUND')),
    id              UUID        NOT NULL,
    calls           INT         NOT NULL CHECK (calls > 0),
    outcome         TEXT CHECK (outcome IN ('APPROVED', 'DECLINED')),
    reason          TEXT,
    first_called_at TIMESTAMPTZ NOT NULL,
    answered_at     TIMESTAMPTZ,
    PRIMARY KEY (kind, id)
);

-- Processing requests the reconciler issued again for payments still CREATED after
-- created-timeout (the first request was lost with a Kafka log, or never consumed). The row is
-- the claim: of several instances, only the one whose upsert moved reissued_at publishes.
CREATE TABLE processing_reissues
(
    payment_id  UUID PRIMARY KEY REFERENCES payments (id) ON DELETE CASCADE,
    reissued_at TIMESTAMPTZ NOT NULL,
    reissues    INT         NOT NULL CHECK (reissues > 0)
);
CREATE INDEX payments_created_since ON payments (updated_at) WHERE status = 'CREATED';
