-- Statements an ORM-backed shop sends, as a developer would collect them.
SELECT "orders".* FROM "orders" WHERE "orders"."customer_id" = $1 AND "orders"."status" = $2 ORDER BY "orders"."created_at" DESC LIMIT 20;

SELECT oi.id, oi.quantity, p.name
  FROM order_items oi
  JOIN products p ON p.id = oi.product_id
 WHERE oi.order_id = 1042;

SELECT 1 AS one FROM cart_items WHERE cart_items.cart_id = 17 AND cart_items.product_id = 3 LIMIT 1;

INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (17, 3, 1)
ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + EXCLUDED.quantity;

WITH recent AS (
  SELECT customer_id, count(*) AS n FROM orders WHERE created_at >= now() - interval '7 days' GROUP BY customer_id
)
SELECT c.email, r.n FROM customers c JOIN recent r ON r.customer_id = c.id WHERE c.deleted_at IS NULL ORDER BY r.n DESC;

UPDATE daily_counters SET hits = hits + 1 WHERE day = current_date AND name = 'checkout';

SELECT * FROM "public"."User" WHERE "email" ILIKE 'ann%' AND "id" = ANY($1);
