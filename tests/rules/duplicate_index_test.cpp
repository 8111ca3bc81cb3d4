// duplicate-index: fires on identical definitions, stays quiet on look-alikes.
#include "hygiene_support.hpp"

using namespace hygiene_test;

namespace {
const std::string kOrders =
    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, created_at timestamptz);\n";
}

TEST_CASE("duplicate-index: two identical btree indexes, the the name sorting later is reported",
          "[rules][duplicate-index]") {
    auto cat = ddl(kOrders +
                   "CREATE INDEX orders_status_a ON orders (status);\n"
                   "CREATE INDEX orders_status_b ON orders (status);\n");
    auto f = on_catalog("duplicate-index", cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].rule_id == "duplicate-index");
    CHECK(f[0].severity == pgadvisor::rules::Severity::Warning);
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::High);
    CHECK(f[0].schema == "public");
    CHECK(f[0].table == "orders");
    CHECK(f[0].key == "public.orders_status_b");
    CHECK(f[0].title == "index orders_status_b duplicates orders_status_a on public.orders");
    CHECK(f[0].fix_sql == "DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_b;");
}

TEST_CASE("duplicate-index: a plain index with the same keys as a unique one is the duplicate",
          "[rules][duplicate-index]") {
    // The unique index comes second, yet the plain one is dropped: uniqueness is a rule worth keeping.
    auto cat = ddl(kOrders +
                   "CREATE INDEX orders_cust ON orders (customer_id);\n"
                   "CREATE UNIQUE INDEX orders_cust_u ON orders (customer_id);\n");
    auto f = on_catalog("duplicate-index", cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].key == "public.orders_cust");
    CHECK(f[0].explanation.find("only the kept one is unique") != std::string::npos);
}

TEST_CASE("duplicate-index: an index duplicating the primary key's", "[rules][duplicate-index]") {
    auto cat = ddl(kOrders + "CREATE UNIQUE INDEX orders_id_again ON orders (id);\n");
    auto f = on_catalog("duplicate-index", cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].key == "public.orders_id_again");  // never the primary key
    CHECK(f[0].fix_sql == "DROP INDEX CONCURRENTLY IF EXISTS public.orders_id_again;");
}

TEST_CASE("duplicate-index: a unique constraint on the primary key's columns is dropped as a constraint",
          "[rules][duplicate-index]") {
    auto cat = ddl("CREATE TABLE t (id int PRIMARY KEY, CONSTRAINT t_id_key UNIQUE (id));\n");
    auto f = on_catalog("duplicate-index", cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].key == "public.t_id_key");
    CHECK(f[0].fix_sql == "ALTER TABLE public.t DROP CONSTRAINT t_id_key;");
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::Medium);
}

TEST_CASE("duplicate-index: three copies give two findings, each naming the first", "[rules][duplicate-index]") {
    auto cat = ddl(kOrders +
                   "CREATE INDEX a1 ON orders (status);\nCREATE INDEX a2 ON orders (status);\n"
                   "CREATE INDEX a3 ON orders (status);\n");
    auto f = on_catalog("duplicate-index", cat);
    REQUIRE(f.size() == 2);
    CHECK(f[0].key == "public.a2");
    CHECK(f[1].key == "public.a3");
    CHECK(f[1].title.find("duplicates a1") != std::string::npos);
}

TEST_CASE("duplicate-index: look-alikes stay quiet", "[rules][duplicate-index]") {
    // Each pair differs in something the planner or the data cares about.
    const char* pairs[] = {
        // different predicate: they index different rows
        "CREATE INDEX a ON orders (status) WHERE created_at IS NULL; CREATE INDEX b ON orders (status);",
        // different method
        "CREATE INDEX a ON orders USING hash (status); CREATE INDEX b ON orders (status);",
        // different key order
        "CREATE INDEX a ON orders (status, customer_id); CREATE INDEX b ON orders (customer_id, status);",
        // different direction
        "CREATE INDEX a ON orders (created_at DESC); CREATE INDEX b ON orders (created_at);",
        // different INCLUDE: the second serves index-only scans the first cannot
        "CREATE INDEX a ON orders (status) INCLUDE (customer_id); CREATE INDEX b ON orders (status);",
        // an expression is not the column
        "CREATE INDEX a ON orders (lower(status)); CREATE INDEX b ON orders (status);",
    };
    for (const char* p : pairs) {
        INFO(p);
        CHECK(on_catalog("duplicate-index", ddl(kOrders + p)).empty());
    }
    // Same definition on two different tables.
    CHECK(on_catalog("duplicate-index",
                     ddl(kOrders + "CREATE TABLE o2 (status text);"
                                   "CREATE INDEX a ON orders (status); CREATE INDEX b ON o2 (status);"))
              .empty());
}

TEST_CASE("duplicate-index: the doc page's example", "[rules][duplicate-index][doc]") {
    const auto fires = doc_example("duplicate-index", "fires");
    const auto quiet = doc_example("duplicate-index", "quiet");
    REQUIRE(!fires.empty());
    REQUIRE(!quiet.empty());
    CHECK(on_catalog("duplicate-index", ddl(fires)).size() == 1);
    CHECK(on_catalog("duplicate-index", ddl(quiet)).empty());
}

TEST_CASE("duplicate-index: disabled by config it is not created", "[rules][duplicate-index]") {
    auto set = pgadvisor::rules::load_default_rules();
    pgadvisor::rules::apply_override(set, "duplicate-index.enabled=false");
    for (const auto& r : pgadvisor::rules::create_enabled_rules(set)) CHECK(r->id() != "duplicate-index");
}

TEST_CASE("duplicate-index and redundant-index: another operator class is another index", "[rules][duplicate-index]") {
    // Django's schema for a unique CharField: the UNIQUE constraint's index, and
    // a varchar_pattern_ops "_like" index for LIKE 'prefix%' (which the default
    // class cannot serve under a non-C collation). Neither makes the other redundant.
    auto cat = ddl(
        "CREATE TABLE helpdesk_tag (id bigint PRIMARY KEY, name varchar(50) NOT NULL, note text);\n"
        "ALTER TABLE ONLY helpdesk_tag ADD CONSTRAINT helpdesk_tag_name_key UNIQUE (name);\n"
        "CREATE INDEX helpdesk_tag_name_3651d8cc_like ON public.helpdesk_tag USING btree (name varchar_pattern_ops);\n"
        "CREATE INDEX helpdesk_tag_name_note ON public.helpdesk_tag USING btree (name, note);\n");
    REQUIRE(cat.indexes.size() == 4);
    CHECK(on_catalog("duplicate-index", cat).empty());
    for (const auto& f : on_catalog("redundant-index", cat)) CHECK(f.key != "public.helpdesk_tag_name_3651d8cc_like");
    // The same class twice is a duplicate, and its DROP's down migration rebuilds the class.
    auto twice = ddl(
        "CREATE TABLE t (name varchar(50));\n"
        "CREATE INDEX t_like_a ON t USING btree (name varchar_pattern_ops);\n"
        "CREATE INDEX t_like_b ON t USING btree (name varchar_pattern_ops);\n");
    auto f = on_catalog("duplicate-index", twice);
    REQUIRE(f.size() == 1);
    CHECK(f[0].key == "public.t_like_b");
}
