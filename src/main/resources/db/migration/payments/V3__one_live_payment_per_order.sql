-- At most one live payment per order: any payment that is not FAILED has taken or may take the
-- customer's money, so a second one for the same order is refused by PostgreSQL itself.
--
-- Databases from before this rule may hold several live payments for one order. The first one
-- (the payment the order was marked paid by, else the oldest) keeps its place; the others are
-- marked as duplicates, left out of the index, and refunded by the application (DuplicateCharges).
ALTER TABLE payments ADD COLUMN duplicate_of UUID;

WITH live AS (
    SELECT p.id,
           first_value(p.id) OVER (PARTITION BY p.order_id
                                   ORDER BY (p.id = o.paid_by) IS TRUE DESC, p.created_at, p.id) AS kept
    FROM payments p
    JOIN orders o ON o.id = p.order_id
    WHERE p.status <> 'FAILED'
)
UPDATE payments SET duplicate_of = live.kept
FROM live
WHERE payments.id = live.id AND live.id <> live.kept;

CREATE UNIQUE INDEX payments_one_live_per_order ON payments (order_id)
    WHERE status <> 'FAILED' AND duplicate_of IS NULL;

-- The start-up pass that refunds marked duplicates reads this (empty once they are refunded), not the table.
CREATE INDEX payments_marked_duplicates ON payments (id) WHERE duplicate_of IS NOT NULL;
