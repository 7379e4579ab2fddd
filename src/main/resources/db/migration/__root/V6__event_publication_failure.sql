-- Why a listener last failed on a publication, which Spring Modulith's registry does not keep, and
-- the attempt count its budget of automatic resubmissions starts from (moved up by a resubmission
-- by hand). One row per publication; rows of completed publications are deleted by
-- EventPublicationResubmitter.
CREATE TABLE event_publication_failure (
    publication_id    UUID PRIMARY KEY,
    listener_id       TEXT        NOT NULL,
    reason            TEXT,
    failed_at         TIMESTAMPTZ,
    -- event_publication.completion_attempts when the failure was recorded.
    attempts          INT         NOT NULL DEFAULT 0,
    -- completion_attempts at the last resubmission by hand (0 if none): the budget counts from here.
    attempts_baseline INT         NOT NULL DEFAULT 0,
    resubmitted_by_hand_at TIMESTAMPTZ
);
