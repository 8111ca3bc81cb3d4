// fk-without-index: a foreign key whose columns lead no usable index.
#include "hygiene_support.hpp"

using namespace hygiene_test;

namespace {
const std::string kBase =
    "CREATE TABLE customers (id bigint PRIMARY KEY, region int, CONSTRAINT customers_id_region UNIQUE (id, region));\n"
    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), region int, "
    "status text);\n";
}

TEST_CASE("fk-without-index: an unindexed foreign key", "[rules][fk-without-index]") {
    auto f = on_catalog("fk-without-index", ddl(kBase));
    REQUIRE(f.size() == 1);
    CHECK(f[0].rule_id == "fk-without-index");
    CHECK(f[0].schema == "public");
    CHECK(f[0].table == "orders");
    CHECK(f[0].key == "public.orders.orders_customer_id_fkey");
    CHECK(f[0].title == "foreign key orders_customer_id_fkey on public.orders (customer_id) has no index");
    CHECK(f[0].fix_sql ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON public.orders USING btree (customer_id);");
    REQUIRE(f[0].index_needs.size() == 1);
    CHECK(f[0].index_needs[0].table == "orders");
    CHECK(f[0].index_needs[0].equality_columns == std::vector<std::string>{"customer_id"});
    CHECK_FALSE(f[0].index_needs[0].unique);
}

TEST_CASE("fk-without-index: indexes that do not serve the key", "[rules][fk-without-index]") {
    const char* cases[] = {
        // the key column is second: not a leading prefix
        "CREATE INDEX x ON orders (status, customer_id);",
        // partial: rows outside the predicate are not in it
        "CREATE INDEX x ON orders (customer_id) WHERE status IS NOT NULL;",
        // an expression of the column is not the column
        "CREATE INDEX x ON orders ((customer_id + 0));",
        // GIN/GiST-like methods: brin does not answer the equality lookup well
        "CREATE INDEX x ON orders USING brin (customer_id);",
    };
    for (const char* c : cases) {
        INFO(c);
        CHECK(on_catalog("fk-without-index", ddl(kBase + c)).size() == 1);
    }
}

TEST_CASE("fk-without-index: quiet when an index leads with the key columns", "[rules][fk-without-index]") {
    const char* cases[] = {
        "CREATE INDEX x ON orders (customer_id);",
        // more columns after the key are fine
        "CREATE INDEX x ON orders (customer_id, status);",
        // a unique index serves as well
        "CREATE UNIQUE INDEX x ON orders (customer_id, id);",
        // a one-column hash index answers equality
        "CREATE INDEX x ON orders USING hash (customer_id);",
    };
    for (const char* c : cases) {
        INFO(c);
        CHECK(on_catalog("fk-without-index", ddl(kBase + c)).empty());
    }
}

TEST_CASE("fk-without-index: a two-column key is served by its columns in any order", "[rules][fk-without-index]") {
    const std::string two = kBase +
                            "CREATE TABLE shipments (id int PRIMARY KEY, customer_id bigint, region int, "
                            "FOREIGN KEY (customer_id, region) REFERENCES customers (id, region));\n";
    auto none = on_catalog("fk-without-index", ddl(two + "CREATE INDEX o ON orders (customer_id);"));
    REQUIRE(none.size() == 1);
    CHECK(none[0].table == "shipments");
    CHECK(none[0].index_needs[0].equality_columns == std::vector<std::string>{"customer_id", "region"});
    // Reversed order in the index: the lookup is equality on both, so it serves.
    CHECK(on_catalog("fk-without-index",
                     ddl(two +
                         "CREATE INDEX o ON orders (customer_id); CREATE INDEX s ON shipments (region, customer_id);"))
              .empty());
    // Only one of the two columns: the lookup still scans every row with that customer.
    CHECK(on_catalog("fk-without-index",
                     ddl(two + "CREATE INDEX o ON orders (customer_id); CREATE INDEX s ON shipments (customer_id);"))
              .size() == 1);
}

TEST_CASE("fk-without-index: the primary key's index serves a key on the same column", "[rules][fk-without-index]") {
    // One-to-one: the referencing column is the table's primary key.
    auto cat = ddl(
        "CREATE TABLE a (id int PRIMARY KEY);\n"
        "CREATE TABLE a_extra (id int PRIMARY KEY REFERENCES a (id), note text);\n");
    CHECK(on_catalog("fk-without-index", cat).empty());
}

TEST_CASE("fk-without-index: min_rows skips small tables only when statistics say so", "[rules][fk-without-index]") {
    auto cat = ddl(kBase);
    // Offline rows are a guess: the threshold does not apply.
    CHECK(on_catalog("fk-without-index", cat, false, {"fk-without-index.min_rows=1000"}).size() == 1);
    cat.find_table("public", "orders")->estimated_rows = 50;
    cat.find_table("public", "orders")->rows_source = pgadvisor::catalog::RowsSource::Statistics;
    CHECK(on_catalog("fk-without-index", cat, true, {"fk-without-index.min_rows=1000"}).empty());
    CHECK(on_catalog("fk-without-index", cat, true).size() == 1);  // default 0: every table
}

TEST_CASE("fk-without-index: quoted names in the fix", "[rules][fk-without-index]") {
    auto cat = ddl(
        "CREATE TABLE \"User\" (id int PRIMARY KEY);\n"
        "CREATE TABLE \"order\" (id int PRIMARY KEY, \"userId\" int REFERENCES \"User\" (id));\n");
    auto f = on_catalog("fk-without-index", cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix_sql ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS order_userid_idx ON public.\"order\" USING btree (\"userId\");");
}

TEST_CASE("fk-without-index: the doc page's example", "[rules][fk-without-index][doc]") {
    const auto fires = doc_example("fk-without-index", "fires");
    const auto quiet = doc_example("fk-without-index", "quiet");
    REQUIRE(!fires.empty());
    REQUIRE(!quiet.empty());
    CHECK(on_catalog("fk-without-index", ddl(fires)).size() == 1);
    CHECK(on_catalog("fk-without-index", ddl(quiet)).empty());
}
