-- Secret rotation with a grace period, endpoint health (auto-disable), per-endpoint outbound
-- rate limits, and an index for the retention purge.
ALTER TABLE endpoints
    -- the secret replaced by the last rotation, still signed with until it expires
    ADD COLUMN previous_secret            TEXT,
    ADD COLUMN previous_secret_expires_at TIMESTAMPTZ,
    -- null: the configured default applies
    ADD COLUMN rate_limit_per_second      INT CHECK (rate_limit_per_second BETWEEN 1 AND 1000),
    -- failed attempts in a row, and when the first of them happened; a success resets both
    ADD COLUMN consecutive_failures       INT NOT NULL DEFAULT 0,
    ADD COLUMN failing_since              TIMESTAMPTZ,
    ADD COLUMN disabled_at                TIMESTAMPTZ;

CREATE INDEX messages_created ON messages (created_at);
