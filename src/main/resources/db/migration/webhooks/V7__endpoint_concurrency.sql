-- Isolation between endpoints: each endpoint has at most this many attempts in flight at once
-- (NULL: quartet.webhooks.max-concurrent-attempts), counted across every instance, so a slow
-- or hanging endpoint holds a few workers and never the whole pool.
ALTER TABLE webhooks.endpoints
    ADD COLUMN max_concurrent_attempts INT CHECK (max_concurrent_attempts BETWEEN 1 AND 256);

-- The count a claim makes: the in-flight deliveries of one endpoint.
CREATE INDEX deliveries_in_flight_by_endpoint ON webhooks.deliveries (endpoint_id) WHERE status = 'PROCESSING';
