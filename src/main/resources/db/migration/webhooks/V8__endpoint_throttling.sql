-- A 429, or a 503 with Retry-After, pauses every delivery to the endpoint until then.
ALTER TABLE endpoints ADD COLUMN throttled_until TIMESTAMPTZ;

-- Attempts an endpoint throttled: numbered and recorded like the others (attempts counts them
-- too), but not counted against max-attempts.
ALTER TABLE deliveries ADD COLUMN throttled_attempts INT NOT NULL DEFAULT 0;

ALTER TABLE attempts ADD COLUMN throttled BOOLEAN NOT NULL DEFAULT false;
