-- Finding the endpoints for a message is an index lookup, not a scan: a message's type names the
-- few filters that take it ("*", the type itself, and "<prefix>.*" for each of its prefixes),
-- and the array overlap operator finds the endpoints holding any of them through this index.
CREATE INDEX endpoints_event_types ON endpoints USING GIN (event_types) WHERE enabled;
