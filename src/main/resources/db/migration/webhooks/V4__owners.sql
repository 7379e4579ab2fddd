-- Every endpoint, message and delivery belongs to the API client that created it (the client
-- name of its key). A message fans out only to its owner's endpoints, so a delivery's owner is
-- both its message's and its endpoint's; attempts are read only through their delivery.
--
-- Rows from before owners existed get 'demo'. Until now the only key shipped in the default
-- configuration was the demo key, whose client is now named demo, so rows from a demo data
-- directory (~/.quartet) are the demo's: its webhook receiver (an endpoint created with that
-- key) goes on receiving the demo's payment events. A deployment that ran other keys can
-- reassign its rows with an UPDATE; no key presented before this version was recorded with them.
ALTER TABLE endpoints ADD COLUMN owner TEXT;
UPDATE endpoints SET owner = 'demo';
ALTER TABLE endpoints ALTER COLUMN owner SET NOT NULL;
-- fan-out looks up the owner's enabled endpoints for every message
CREATE INDEX endpoints_by_owner ON endpoints (owner) WHERE enabled;

ALTER TABLE messages ADD COLUMN owner TEXT;
UPDATE messages SET owner = 'demo';
ALTER TABLE messages ALTER COLUMN owner SET NOT NULL;
-- idempotency keys are the client's own: two clients may use the same key for different messages
ALTER TABLE messages DROP CONSTRAINT messages_idempotency_key;
ALTER TABLE messages ADD CONSTRAINT messages_idempotency_key UNIQUE (owner, event_type, idempotency_key);

ALTER TABLE deliveries ADD COLUMN owner TEXT;
UPDATE deliveries d SET owner = m.owner FROM messages m WHERE m.id = d.message_id;
ALTER TABLE deliveries ALTER COLUMN owner SET NOT NULL;
-- the client's own list, newest first
CREATE INDEX deliveries_by_owner ON deliveries (owner, created_at DESC);
