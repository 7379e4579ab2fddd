-- Every order, payment and notification belongs to the API client that created it (the client
-- name of its key). Queries for the API filter by it; an admin client sees every owner.
--
-- Rows from before owners existed get 'demo'. Until now the only key shipped in the default
-- configuration was the demo key, whose client is now named demo, so rows from a demo data
-- directory (~/.quartet) are the demo's: the dashboard and the demo webhook receiver go on
-- seeing them. A deployment that ran other keys can reassign its rows with an UPDATE; no key
-- presented before this version was recorded with its rows, so nothing better can be derived.
ALTER TABLE orders ADD COLUMN owner TEXT;
UPDATE orders SET owner = 'demo';
ALTER TABLE orders ALTER COLUMN owner SET NOT NULL;
-- the client's own list, newest first
CREATE INDEX orders_by_owner ON orders (owner, created_at DESC);

-- A payment belongs to its order's owner (an admin paying a client's order pays it for that client).
ALTER TABLE payments ADD COLUMN owner TEXT;
UPDATE payments p SET owner = o.owner FROM orders o WHERE o.id = p.order_id;
ALTER TABLE payments ALTER COLUMN owner SET NOT NULL;

-- A notification belongs to the owner of the order it is about.
ALTER TABLE notifications ADD COLUMN owner TEXT;
UPDATE notifications n SET owner = coalesce((SELECT o.owner FROM orders o WHERE o.id = n.order_id), 'demo');
ALTER TABLE notifications ALTER COLUMN owner SET NOT NULL;

-- Refunds, transitions, order items and dead letters are parts of their order or payment and are
-- only ever read through it, so they carry no owner of their own.
