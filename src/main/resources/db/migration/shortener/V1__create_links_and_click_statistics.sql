-- Links. The code is the primary key: its UNIQUE constraint is what makes generated codes and
-- custom aliases collision-safe (an insert that collides fails and is retried with a new code).
CREATE TABLE links (
    code               VARCHAR(64)   PRIMARY KEY,
    target_url         VARCHAR(2048) NOT NULL,
    custom_alias       BOOLEAN       NOT NULL,
    created_at         TIMESTAMPTZ   NOT NULL,
    expires_at         TIMESTAMPTZ,
    max_clicks         BIGINT        CHECK (max_clicks >= 1),
    permanent_redirect BOOLEAN,
    disabled           BOOLEAN       NOT NULL DEFAULT FALSE
);

CREATE INDEX links_by_creation ON links (created_at DESC, code);

-- Click statistics, written only by the batch flush, never by a redirect.
CREATE TABLE link_clicks (
    code             VARCHAR(64) PRIMARY KEY REFERENCES links (code) ON DELETE CASCADE,
    total_clicks     BIGINT      NOT NULL,
    bot_clicks       BIGINT      NOT NULL,
    last_accessed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE daily_clicks (
    code       VARCHAR(64) NOT NULL REFERENCES links (code) ON DELETE CASCADE,
    day        DATE        NOT NULL,
    clicks     BIGINT      NOT NULL,
    bot_clicks BIGINT      NOT NULL,
    PRIMARY KEY (code, day)
);

CREATE TABLE referrer_clicks (
    code          VARCHAR(64)  NOT NULL REFERENCES links (code) ON DELETE CASCADE,
    referrer_host VARCHAR(255) NOT NULL,
    clicks        BIGINT       NOT NULL,
    PRIMARY KEY (code, referrer_host)
);

-- Batches already counted: a batch flushed again (its instance died before acknowledging it in
-- Redis) is recognised here and not counted twice.
CREATE TABLE click_batches (
    batch_id   UUID        PRIMARY KEY,
    flushed_at TIMESTAMPTZ NOT NULL,
    clicks     INT         NOT NULL
);

CREATE INDEX click_batches_by_age ON click_batches (flushed_at);
