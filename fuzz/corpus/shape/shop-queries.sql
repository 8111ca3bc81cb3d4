-- A shop schema used by the catalog tests: live, offline, and pg_dump must agree on it.
CREATE SCHEMA billing;
CREATE SCHEMA inventory;
CREATE SCHEMA "Audit";

CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');

CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    email varchar(320) NOT NULL,
    full_name text NOT NULL,
    country char(2),
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamp with time zone,
    marketing_opt_in boolean DEFAULT false
);
CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email));
CREATE INDEX ON customers (country, created_at DESC);
CREATE INDEX customers_active_idx ON customers (created_at) WHERE deleted_at IS NULL;

CREATE TABLE addresses (
    id serial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    line1 text NOT NULL,
    city text NOT NULL,
    postal_code varchar(16),
    is_default boolean NOT NULL DEFAULT false
);
CREATE INDEX addresses_customer_id_idx ON addresses (customer_id);
CREATE UNIQUE INDEX addresses_one_default ON addresses (customer_id) WHERE is_default;

CREATE TABLE inventory.categories (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES inventory.categories,
    slug text NOT NULL UNIQUE,
    name text NOT NULL
);

CREATE TABLE inventory.products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku varchar(40) NOT NULL,
    category_id integer NOT NULL,
    title text NOT NULL,
    price numeric(12, 2) NOT NULL CHECK (price >= 0),
    tags text[],
    attributes jsonb,
    CONSTRAINT products_sku_key UNIQUE (sku),
    FOREIGN KEY (category_id) REFERENCES inventory.categories (id)
);
CREATE INDEX products_category_price_idx ON inventory.products (category_id, price DESC NULLS LAST);
CREATE INDEX products_tags_idx ON inventory.products USING gin (tags);
CREATE INDEX products_title_trgm_like ON inventory.products (lower(title) text_pattern_ops);

CREATE TABLE inventory.warehouses (
    code char(4) PRIMARY KEY,
    city text NOT NULL
);

CREATE TABLE inventory.stock (
    product_id bigint NOT NULL REFERENCES inventory.products,
    warehouse_code char(4) NOT NULL REFERENCES inventory.warehouses,
    quantity integer NOT NULL DEFAULT 0,
    reserved integer NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, warehouse_code)
);
CREATE INDEX stock_low_idx ON inventory.stock (warehouse_code, quantity) INCLUDE (reserved) WHERE quantity < 10;

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers,
    shipping_address_id integer REFERENCES addresses (id),
    status order_status NOT NULL DEFAULT 'new',
    placed_at timestamptz NOT NULL DEFAULT now(),
    total numeric(12, 2) NOT NULL,
    note text
);
CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status IN ('new', 'paid');
CREATE INDEX orders_placed_day_idx ON orders (((placed_at AT TIME ZONE 'UTC')::date));

CREATE TABLE order_items (
    order_id bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
    line_no smallint NOT NULL,
    product_id bigint NOT NULL REFERENCES inventory.products (id),
    quantity integer NOT NULL,
    unit_price numeric(12, 2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);

CREATE TABLE carts (
    id uuid PRIMARY KEY,
    customer_id bigint REFERENCES customers,
    updated_at timestamp(3) without time zone NOT NULL
);
CREATE INDEX ON carts (updated_at NULLS FIRST);

CREATE TABLE cart_items (
    cart_id uuid NOT NULL REFERENCES carts ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES inventory.products,
    quantity integer NOT NULL,
    UNIQUE (cart_id, product_id)
);

CREATE TABLE reviews (
    id bigserial PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES inventory.products,
    customer_id bigint NOT NULL REFERENCES customers,
    rating smallint NOT NULL,
    body text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_product_rating_idx ON reviews (product_id, rating) WHERE rating BETWEEN 1 AND 2;

CREATE TABLE billing.invoices (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL UNIQUE REFERENCES public.orders,
    number text NOT NULL,
    issued_on date NOT NULL,
    due_on date,
    amount numeric(12, 2) NOT NULL
);
CREATE UNIQUE INDEX invoices_number_year_key ON billing.invoices (number, (extract(year FROM issued_on)));

CREATE TABLE billing.payments (
    id bigserial PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES billing.invoices,
    paid_at timestamptz NOT NULL,
    amount numeric(12, 2) NOT NULL,
    provider text NOT NULL,
    provider_ref text
);
CREATE INDEX payments_invoice_idx ON billing.payments (invoice_id);
CREATE UNIQUE INDEX payments_provider_ref_key ON billing.payments (provider, provider_ref) WHERE provider_ref IS NOT NULL;

CREATE TABLE billing.refunds (
    id bigserial PRIMARY KEY,
    payment_id bigint NOT NULL REFERENCES billing.payments,
    amount numeric(12, 2) NOT NULL,
    reason text
);

CREATE TABLE billing.tax_rates (
    country char(2) NOT NULL,
    valid_from date NOT NULL,
    rate numeric(5, 4) NOT NULL,
    PRIMARY KEY (country, valid_from)
);

CREATE TABLE "Audit"."EventLog" (
    "Id" bigserial PRIMARY KEY,
    "EventType" text NOT NULL,
    "CustomerId" bigint REFERENCES customers,
    "OccurredAt" timestamptz NOT NULL,
    payload jsonb
);
CREATE INDEX "EventLog_Type_Time" ON "Audit"."EventLog" ("EventType", "OccurredAt" DESC);
CREATE INDEX ON "Audit"."EventLog" ("CustomerId");

CREATE TABLE "Audit"."LoginAttempts" (
    id bigserial PRIMARY KEY,
    "userEmail" text NOT NULL,
    succeeded boolean NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX "LoginAttempts_failed" ON "Audit"."LoginAttempts" (lower("userEmail"), at) WHERE NOT succeeded;

CREATE TABLE coupons (
    code text PRIMARY KEY,
    percent_off integer NOT NULL,
    valid_until date
);

CREATE TABLE order_coupons (
    order_id bigint NOT NULL REFERENCES orders,
    coupon_code text NOT NULL REFERENCES coupons,
    PRIMARY KEY (order_id, coupon_code)
);

CREATE TABLE shipments (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL,
    carrier text NOT NULL,
    tracking_number text,
    shipped_at timestamptz
);
ALTER TABLE shipments ADD CONSTRAINT shipments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE shipments ADD COLUMN delivered_at timestamptz;
ALTER TABLE shipments ADD COLUMN obsolete integer;
ALTER TABLE shipments DROP COLUMN obsolete;
ALTER TABLE shipments ALTER COLUMN carrier TYPE varchar(32);
CREATE INDEX shipments_tracking_idx ON shipments (carrier, tracking_number) WHERE tracking_number IS NOT NULL;

CREATE TABLE wishlists (
    customer_id bigint NOT NULL REFERENCES customers,
    product_id bigint NOT NULL REFERENCES inventory.products,
    added_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE wishlists ADD PRIMARY KEY (customer_id, product_id);

CREATE TABLE page_views (
    viewed_at timestamptz NOT NULL,
    customer_id bigint,
    path text NOT NULL
) PARTITION BY RANGE (viewed_at);
CREATE INDEX page_views_customer_idx ON page_views (customer_id, viewed_at DESC);
CREATE TABLE page_views_2024 PARTITION OF page_views FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE page_views_2025 PARTITION OF page_views FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- Added after the partitions exist: PostgreSQL builds a copy on each, named from the partition.
ALTER TABLE page_views ADD PRIMARY KEY (path, viewed_at);
CREATE INDEX ON page_views (lower(path));
-- Attached later: it receives every index of the parent.
CREATE TABLE page_views_2026 (LIKE page_views);
ALTER TABLE page_views ATTACH PARTITION page_views_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

CREATE TABLE scratch (id int);
CREATE INDEX scratch_id_idx ON scratch (id);
DROP TABLE scratch;

CREATE TABLE product_views_old (product_id bigint, n int);
ALTER TABLE product_views_old RENAME TO product_view_counts;
ALTER TABLE product_view_counts RENAME COLUMN n TO view_count;
CREATE INDEX pvc_idx ON product_view_counts (product_id, view_count);
ALTER INDEX pvc_idx RENAME TO product_view_counts_product_idx;

COMMENT ON TABLE orders IS 'one row per checkout';
GRANT SELECT ON orders TO PUBLIC;
