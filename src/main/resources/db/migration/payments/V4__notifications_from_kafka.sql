-- Notifications come from the Kafka topics now (NotificationConsumer), one per event: the
-- identity is the topic plus the event's natural id (payment id for payment.*, order id for
-- order.paid, refund id for refund.*). A FAILED send is retried by a job with backoff, so each
-- row says how often it was tried, why it last failed and when it may be tried next.
ALTER TABLE notifications ADD COLUMN event_type TEXT;
ALTER TABLE notifications ADD COLUMN event_key UUID;
ALTER TABLE notifications ADD COLUMN refund_id UUID;
ALTER TABLE notifications ADD COLUMN attempts INT NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE notifications ADD COLUMN last_error TEXT;
-- FAILED: when the retry job may send again (NULL once the attempts are used up);
-- PENDING: when the claim of whoever is sending expires (a crash mid-send is retried then).
ALTER TABLE notifications ADD COLUMN next_attempt_at TIMESTAMPTZ;

-- Rows written by the in-process listeners get the identity their event has on Kafka, so a
-- consumer group reading the topics from their start does not notify those events again.
UPDATE notifications SET event_type = 'order.paid', event_key = order_id WHERE template = 'order-paid';
UPDATE notifications SET event_type = 'payment.failed', event_key = payment_id
    WHERE template = 'payment-failed' AND payment_id IS NOT NULL;
UPDATE notifications
    SET event_type = 'refund.succeeded', refund_id = substring(template FROM 18)::uuid,
        event_key = substring(template FROM 18)::uuid, template = 'refund-succeeded'
    WHERE template ~ '^refund-succeeded:[0-9a-fA-F-]{36}$';
-- Should two old rows share one identity (the old key also held the payment), the first keeps it.
WITH ranked AS (
    SELECT id, row_number() OVER (PARTITION BY event_type, event_key ORDER BY created_at, id) AS rank
    FROM notifications WHERE event_type IS NOT NULL
)
UPDATE notifications SET event_type = NULL FROM ranked WHERE notifications.id = ranked.id AND ranked.rank > 1;
-- Anything else is its own event: kept, never matched by a Kafka record.
UPDATE notifications SET event_type = 'legacy:' || template, event_key = id WHERE event_type IS NULL;
UPDATE notifications SET attempts = CASE WHEN status = 'PENDING' THEN 0 ELSE 1 END,
    sent_at = CASE WHEN status = 'SENT' THEN sent_at END,
    -- an old FAILED row was never retried; a PENDING one was abandoned mid-send
    next_attempt_at = CASE WHEN status = 'SENT' THEN NULL ELSE now() END;

ALTER TABLE notifications ALTER COLUMN event_type SET NOT NULL;
ALTER TABLE notifications ALTER COLUMN event_key SET NOT NULL;
ALTER TABLE notifications DROP CONSTRAINT notifications_once;
-- the whole of idempotency: a redelivered or replayed record finds its row and sends nothing
ALTER TABLE notifications ADD CONSTRAINT notifications_once_per_event UNIQUE (event_type, event_key);
CREATE INDEX notifications_by_payment ON notifications (payment_id);
CREATE INDEX notifications_by_order ON notifications (order_id);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status IN ('FAILED', 'PENDING');

-- The in-process listeners payments.notify-* are gone. Their incomplete publications would be
-- resubmitted to a listener that no longer exists and stay incomplete forever; the same events
-- went to Kafka through their own publication (quartet.externalizer), so the consumer group
-- notifies them from there. (The registry is the platform's table in public; __root migrates first.)
DELETE FROM public.event_publication
    WHERE listener_id IN ('payments.notify-order-paid', 'payments.notify-payment-failed', 'payments.notify-refund-succeeded')
      AND completion_date IS NULL;
