-- Every link, and with it its statistics, belongs to the API client that created it (the client
-- name of its key). The management API's queries filter by it; an admin client sees every
-- owner's. Redirects never read it: codes stay one namespace, a short URL has no client.
--
-- Links from before owners existed get 'demo'. Until now the only key shipped in the default
-- configuration was the demo key, whose client is now named demo, so links in a demo data
-- directory (~/.quartet) stay the dashboard's. No key presented before this version was stored
-- with its links, so nothing better can be derived; a deployment that ran other keys can
-- reassign its links with an UPDATE. Statistics rows carry no owner of their own: they are only
-- read through their link.
ALTER TABLE links ADD COLUMN owner TEXT;
UPDATE links SET owner = 'demo';
ALTER TABLE links ALTER COLUMN owner SET NOT NULL;

-- A client's own page of links, newest first, without reading anybody else's.
CREATE INDEX links_by_owner ON links (owner, created_at DESC, code);
