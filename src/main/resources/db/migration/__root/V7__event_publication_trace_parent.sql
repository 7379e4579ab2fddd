-- The W3C traceparent of the span that published an event, so a listener runs in the trace of the
-- request that caused it: after commit, after a resubmission, or on another instance
-- (quartet.platform.tracing.PublicationTraces writes it; null when tracing was off).
ALTER TABLE event_publication ADD COLUMN trace_parent TEXT;
ALTER TABLE event_publication_archive ADD COLUMN trace_parent TEXT;

-- Spring Modulith copies a completed publication into the archive naming its own columns only:
-- carry the trace parent across, so a timeline still shows the trace of an archived event.
CREATE FUNCTION event_publication_archive_keeps_trace_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.trace_parent IS NULL THEN
    SELECT trace_parent INTO NEW.trace_parent FROM event_publication WHERE id = NEW.id;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER event_publication_archive_trace_parent BEFORE INSERT ON event_publication_archive
  FOR EACH ROW EXECUTE FUNCTION event_publication_archive_keeps_trace_parent();
