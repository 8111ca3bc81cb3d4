-- Data for the shop example, deterministic (setseed) and skewed like a real
-- shop: 50 heavy customers place a fifth of the orders, recent orders are
-- denser than old ones, an order has 1 to 5 items. ~300k orders, ~900k items.
SELECT setseed(0.42);

INSERT INTO order_statuses (code, label, position) VALUES
  ('new', 'New', 1), ('pending_payment', 'Pending payment', 2), ('paid', 'Paid', 3),
  ('packed', 'Packed', 4), ('shipped', 'Shipped', 5), ('delivered', 'Delivered', 6),
  ('cancelled', 'Cancelled', 7), ('refunded', 'Refunded', 8), ('returned', 'Returned', 9),
  ('on_hold', 'On hold', 10);

INSERT INTO customers (id, email, name, country, created_at)
SELECT g, 'customer' || g || '@example.com', 'Customer ' || g,
       (ARRAY['FR','DE','US','GB','ES','IT','NL','PL'])[1 + g % 8],
       timestamptz '2024-01-01' + (g * interval '20 minutes')
FROM generate_series(1, 50000) g;

INSERT INTO products (id, sku, name, price, category)
SELECT g, 'SKU-' || lpad(g::text, 6, '0'), 'Product ' || g, round((1 + random() * 199)::numeric, 2),
       (ARRAY['books','games','garden','kitchen','toys','tools'])[1 + g % 6]
FROM generate_series(1, 5000) g;

INSERT INTO inventory (product_id, on_hand, updated_at)
SELECT id, (random() * 500)::int, timestamptz '2026-11-01' FROM products;

-- created_at: two years back from 2026-12-01, squared so recent days are denser.
-- status: mostly delivered, a few of each other state.
INSERT INTO orders (id, customer_id, status, total, created_at)
SELECT g,
       CASE WHEN random() < 0.2 THEN 1 + (random() * 49)::int ELSE 1 + (random() * 49999)::int END,
       CASE WHEN r < 0.70 THEN 'delivered' WHEN r < 0.78 THEN 'shipped' WHEN r < 0.84 THEN 'paid'
            WHEN r < 0.88 THEN 'new' WHEN r < 0.91 THEN 'packed' WHEN r < 0.94 THEN 'cancelled'
            WHEN r < 0.96 THEN 'pending_payment' WHEN r < 0.98 THEN 'refunded'
            WHEN r < 0.99 THEN 'returned' ELSE 'on_hold' END,
       round((5 + random() * 400)::numeric, 2),
       timestamptz '2026-12-01' - interval '730 days' * power(random(), 2)
FROM (SELECT g, random() AS r FROM generate_series(1, 300000) g) s;

-- 1 to 5 items per order (3 on average): order o has 1 + (o * 7) % 5 items.
INSERT INTO order_items (id, order_id, product_id, quantity, unit_price)
SELECT row_number() OVER (), o, 1 + (random() * 4999)::int, 1 + (random() * 3)::int,
       round((1 + random() * 199)::numeric, 2)
FROM generate_series(1, 300000) o, generate_series(1, 5) k
WHERE k <= 1 + (o * 7) % 5;

INSERT INTO carts (id, customer_id, created_at)
SELECT g, g, timestamptz '2026-01-01' FROM generate_series(1, 50000) g WHERE g % 2 = 0;

-- One line per (cart, product), as the application's check-then-insert keeps it.
INSERT INTO cart_items (cart_id, product_id, quantity, added_at)
SELECT DISTINCT ON (c, p) c, p, 1, timestamptz '2026-11-01'
FROM (SELECT 2 * (1 + (random() * 24999)::int) AS c, 1 + (random() * 4999)::int AS p
      FROM generate_series(1, 40000)) s
ORDER BY c, p;

INSERT INTO daily_counters (day, name, value)
SELECT date '2026-11-30' - d, n, (random() * 10000)::int
FROM generate_series(0, 729) d,
     unnest(ARRAY['/orders','/orders/recent','/customers/orders','/order','/cart/add','/products/sku',
                  '/statuses','/login','/orders/status','/home','/search','/checkout',
                  '/account','/wishlist','/help','/about','/contact','/blog','/faq','/api']) n;

INSERT INTO events (customer_id, kind, payload, created_at)
SELECT 1 + (random() * 49999)::int, (ARRAY['view','click','search','login'])[1 + g % 4], NULL,
       timestamptz '2026-11-01' + g * interval '1 second'
FROM generate_series(1, 100000) g;
