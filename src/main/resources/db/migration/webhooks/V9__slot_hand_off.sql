-- A delivery whose endpoint had no free slot waits in that endpoint's line, oldest first: the next
-- attempt there to end hands the freed slot to it at once, instead of leaving it to a timer.
ALTER TABLE webhooks.deliveries ADD COLUMN waiting_since timestamptz;

CREATE INDEX deliveries_waiting_for_slot ON webhooks.deliveries (endpoint_id, waiting_since)
    WHERE waiting_since IS NOT NULL;
