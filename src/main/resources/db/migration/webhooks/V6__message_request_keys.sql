-- An Idempotency-Key header on POST /api/webhooks/messages, as on the payments API: the key is
-- the client's own (one namespace per owner, whatever the event type), and a repeat must carry
-- the same request, which request_fingerprint (SHA-256 of event type and payload) decides.
ALTER TABLE messages ADD COLUMN request_key TEXT;
-- NULLs never conflict: messages without a header key are not constrained by it
ALTER TABLE messages ADD CONSTRAINT messages_request_key UNIQUE (owner, request_key);

-- The request a key was first used with, for the header key and for the older body field
-- (which now refuses a different payload too). NULL for messages Quartet fans out itself and
-- for rows from before this version: those repeats replay as they always did.
ALTER TABLE messages ADD COLUMN request_fingerprint TEXT;
