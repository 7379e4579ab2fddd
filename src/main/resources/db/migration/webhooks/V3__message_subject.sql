-- The payment a message fanned out from a FlowPay event is about, set at fan-out, so a payment's
-- timeline finds its messages (and their deliveries and attempts) by index, not by its payload.
-- Null for messages taken in through the API.
ALTER TABLE messages ADD COLUMN subject_id UUID;
CREATE INDEX messages_subject ON messages (subject_id) WHERE subject_id IS NOT NULL;
