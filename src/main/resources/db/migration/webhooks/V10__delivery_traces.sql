-- The trace a delivery was created in (a W3C traceparent), so its retries, queued later by the
-- re-publisher, join the same trace; and the trace of each attempt's request, to find it from the API.
ALTER TABLE webhooks.deliveries ADD COLUMN trace_parent text;
ALTER TABLE webhooks.attempts ADD COLUMN trace_id text;
