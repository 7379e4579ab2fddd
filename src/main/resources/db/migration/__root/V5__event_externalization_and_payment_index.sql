-- Where each externalized event went: one row per send its broker confirmed (Kafka: topic,
-- partition and offset from the send result; AMQP: exchange and routing key, after the publisher
-- confirm), written before the publication is marked completed. subject_ids are the event's UUID
-- components (payment, order, refund ...), so "everything sent about X" is one GIN lookup.
-- Purged with the publication archive, after the same retention.
CREATE TABLE event_externalization
(
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the registry publication this send completes (event_publication, then its archive)
  publication_id  UUID,
  event_type      TEXT        NOT NULL,
  subject_ids     UUID[]      NOT NULL,
  broker          TEXT        NOT NULL CHECK (broker IN ('KAFKA', 'AMQP')),
  -- Kafka topic or AMQP exchange
  destination     TEXT        NOT NULL,
  -- Kafka record key or AMQP routing key
  routing_key     TEXT,
  kafka_partition INT,
  kafka_offset    BIGINT,
  confirmed_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX event_externalization_subjects_idx ON event_externalization USING gin (subject_ids);
CREATE INDEX event_externalization_confirmed_idx ON event_externalization (confirmed_at);

-- A payment's publications by its id, for the payment timeline, instead of a LIKE scan over the
-- serialized events. Every payments event carries the payment as "paymentId"; the predicate keeps
-- other modules' events out of the index and spares them the jsonb parse on insert. Queries must
-- repeat both the expression and the predicate to use it.
CREATE INDEX event_publication_payment_idx ON event_publication (((serialized_event::jsonb) ->> 'paymentId'))
  WHERE event_type LIKE 'payments.%';
CREATE INDEX event_publication_archive_payment_idx ON event_publication_archive (((serialized_event::jsonb) ->> 'paymentId'))
  WHERE event_type LIKE 'payments.%';
