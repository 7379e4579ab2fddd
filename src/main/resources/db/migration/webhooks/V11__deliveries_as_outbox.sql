-- Deliveries are their own outbox: a new delivery is stored unqueued (enqueued_attempt -1) and
-- handed to the work queue right after commit. This index finds the unqueued ones without
-- walking past every delivery whose job is already in the queue.
CREATE INDEX deliveries_to_enqueue ON webhooks.deliveries (next_attempt_at)
    WHERE status = 'PENDING' AND enqueued_attempt < attempts;
