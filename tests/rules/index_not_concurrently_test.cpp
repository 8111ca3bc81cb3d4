// index-not-concurrently: CREATE INDEX without CONCURRENTLY on a table that
// existed before the file.
#include "hygiene_support.hpp"

using namespace hygiene_test;

namespace {
const std::string kSchema =
    "CREATE TABLE orders (id bigint PRIMARY KEY, status text, created_at timestamptz);\n"
    "CREATE SCHEMA sales; CREATE TABLE sales.\"Leads\" (id int, email text);\n";
}

TEST_CASE("index-not-concurrently: a plain CREATE INDEX on an existing table", "[rules][index-not-concurrently]") {
    auto before = ddl(kSchema);
    const std::string migration =
        "-- speed up the status page\n\nCREATE INDEX orders_status_idx\n  ON orders (status)\n  WHERE created_at IS NOT NULL;\n";
    auto f = on_migration("index-not-concurrently", &before, migration);
    REQUIRE(f.size() == 1);
    CHECK(f[0].rule_id == "index-not-concurrently");
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::High);
    CHECK(f[0].table == "orders");
    CHECK(f[0].schema == "public");
    REQUIRE(f[0].locations.size() == 1);
    CHECK(f[0].locations[0].file == "migration.sql");
    CHECK(f[0].locations[0].first_line == 3);  // the CREATE, not the comment above it
    CHECK(f[0].locations[0].last_line == 5);
    CHECK(f[0].title == "CREATE INDEX orders_status_idx on existing table public.orders without CONCURRENTLY");
    CHECK(
        f[0].fix_sql ==
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status)\n  WHERE created_at IS NOT NULL;");
}

TEST_CASE("index-not-concurrently: unique, qualified and quoted names", "[rules][index-not-concurrently]") {
    auto before = ddl(kSchema);
    auto f = on_migration("index-not-concurrently", &before,
                          "CREATE UNIQUE INDEX \"Leads_Email\" ON sales.\"Leads\" USING btree (lower(email));");
    REQUIRE(f.size() == 1);
    CHECK(f[0].schema == "sales");
    CHECK(
        f[0].fix_sql ==
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Leads_Email\" ON sales.\"Leads\" USING btree (lower(email));");
}

TEST_CASE("index-not-concurrently: quiet cases", "[rules][index-not-concurrently]") {
    auto before = ddl(kSchema);
    // CONCURRENTLY already.
    CHECK(on_migration("index-not-concurrently", &before, "CREATE INDEX CONCURRENTLY i ON orders (status);").empty());
    // A table created in the same file: nobody else can be waiting on its lock.
    CHECK(on_migration("index-not-concurrently", &before,
                       "CREATE TABLE items (id int, order_id bigint);\nCREATE INDEX items_order ON items (order_id);")
              .empty());
    // Same, schema-qualified on both sides.
    CHECK(on_migration("index-not-concurrently", &before,
                       "CREATE TABLE sales.notes (id int);\nCREATE INDEX ON sales.notes (id);")
              .empty());
    // A table built by CREATE TABLE AS in the file.
    CHECK(on_migration("index-not-concurrently", &before,
                       "CREATE TABLE archive AS SELECT * FROM orders;\nCREATE INDEX ON archive (id);")
              .empty());
    // Not an index build at all.
    CHECK(on_migration("index-not-concurrently", &before, "ALTER TABLE orders ADD COLUMN note text;").empty());
}

TEST_CASE("index-not-concurrently: a table the schema does not know", "[rules][index-not-concurrently]") {
    auto before = ddl(kSchema);
    // Neither in the schema given nor created here: assumed to exist, at lower confidence.
    auto f = on_migration("index-not-concurrently", &before, "CREATE INDEX ON invoices (id);");
    REQUIRE(f.size() == 1);
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::Medium);
    CHECK(f[0].fix_sql == "CREATE INDEX CONCURRENTLY ON invoices (id);");
    // With no schema at all, the same.
    CHECK(on_migration("index-not-concurrently", nullptr, "CREATE INDEX ON invoices (id);").size() == 1);
    // The option turns the assumption off.
    CHECK(on_migration("index-not-concurrently", &before, "CREATE INDEX ON invoices (id);",
                       {"index-not-concurrently.assume_existing_when_unknown=false"})
              .empty());
}

TEST_CASE("index-not-concurrently: a statement that does not parse does not hide the next",
          "[rules][index-not-concurrently]") {
    auto before = ddl(kSchema);
    auto f = on_migration("index-not-concurrently", &before,
                          "CREATE INDEXX broken;\nCREATE INDEX s ON orders (status);\n");
    REQUIRE(f.size() == 1);
    CHECK(f[0].locations[0].first_line == 2);
}

TEST_CASE("index-not-concurrently: a partitioned table gets the per-partition recipe, not an invalid rewrite",
          "[rules][index-not-concurrently]") {
    auto before = ddl(
        "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\n"
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n");
    auto f = on_migration("index-not-concurrently", &before, "CREATE INDEX events_at ON events (at);");
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix_sql.empty());  // CREATE INDEX CONCURRENTLY on a partitioned table is an error
    CHECK(f[0].fix.find("ON ONLY") != std::string::npos);
}

TEST_CASE("index-not-concurrently: the doc page's example", "[rules][index-not-concurrently][doc]") {
    const auto schema = doc_example("index-not-concurrently", "schema");
    const auto fires = doc_example("index-not-concurrently", "fires");
    const auto quiet = doc_example("index-not-concurrently", "quiet");
    REQUIRE(!schema.empty());
    REQUIRE(!fires.empty());
    REQUIRE(!quiet.empty());
    auto before = ddl(schema);
    CHECK(on_migration("index-not-concurrently", &before, fires).size() == 1);
    CHECK(on_migration("index-not-concurrently", &before, quiet).empty());
}
