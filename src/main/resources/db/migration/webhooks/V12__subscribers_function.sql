-- Which enabled endpoints of a client take a message, written once: the ingestion statement fans a
-- message out through it and the lookup tests read it directly. The filters are the few that
-- take the message's type ("*", the type itself and "<prefix>.*" for each prefix). A STABLE SQL
-- function of one SELECT is inlined into the calling query, so the event-type index still applies.
CREATE FUNCTION webhooks.subscribers(of_owner TEXT, taking TEXT[]) RETURNS SETOF UUID
    LANGUAGE sql STABLE
    AS $$ SELECT id FROM webhooks.endpoints WHERE enabled AND owner = of_owner AND event_types && taking $$;
