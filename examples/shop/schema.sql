-- The shop example's schema, as a first-cut ORM application creates it:
-- primary keys, a few obvious unique constraints and one index that a query
-- already uses (products.sku). Nothing else: the workload's filters on
-- orders(customer_id, status), orders(created_at), order_items(order_id),
-- cart_items(cart_id, product_id) and daily_counters(day, name) have no index.

CREATE TABLE customers (
    id          bigint PRIMARY KEY,
    email       text NOT NULL UNIQUE,
    name        text NOT NULL,
    country     text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE order_statuses (
    code      text PRIMARY KEY,
    label     text NOT NULL,
    position  int NOT NULL
);

CREATE TABLE products (
    id          bigint PRIMARY KEY,
    sku         text NOT NULL,
    name        text NOT NULL,
    price       numeric(10,2) NOT NULL,
    category    text NOT NULL
);
CREATE INDEX products_sku_idx ON products (sku);

CREATE TABLE inventory (
    product_id  bigint PRIMARY KEY REFERENCES products (id),
    on_hand     int NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE orders (
    id           bigint PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES customers (id),
    status       text NOT NULL REFERENCES order_statuses (code),
    total        numeric(12,2) NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE order_items (
    id          bigint PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id),
    product_id  bigint NOT NULL REFERENCES products (id),
    quantity    int NOT NULL,
    unit_price  numeric(10,2) NOT NULL
);

CREATE TABLE carts (
    id           bigint PRIMARY KEY,
    customer_id  bigint NOT NULL UNIQUE REFERENCES customers (id),
    created_at   timestamptz NOT NULL
);

CREATE TABLE cart_items (
    id          bigserial PRIMARY KEY,
    cart_id     bigint NOT NULL REFERENCES carts (id),
    product_id  bigint NOT NULL REFERENCES products (id),
    quantity    int NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE daily_counters (
    id     bigserial PRIMARY KEY,
    day    date NOT NULL,
    name   text NOT NULL,
    value  bigint NOT NULL
);

CREATE TABLE events (
    id           bigserial PRIMARY KEY,
    customer_id  bigint,
    kind         text NOT NULL,
    payload      text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
