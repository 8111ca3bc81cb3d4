// redundant-index: a btree prefix of another btree with the same predicate,
// enforcing nothing. Look-alikes that differ in what matters stay quiet.
#include "hygiene_support.hpp"

using namespace hygiene_test;

namespace {
const std::string kOrders =
    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, created_at timestamptz, "
    "total numeric);\n";
}

TEST_CASE("redundant-index: a one-column index under a two-column one", "[rules][redundant-index]") {
    auto cat = ddl(kOrders +
                   "CREATE INDEX orders_cust ON orders (customer_id);\n"
                   "CREATE INDEX orders_cust_created ON orders (customer_id, created_at);\n");
    auto f = on_catalog("redundant-index", cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].rule_id == "redundant-index");
    CHECK(f[0].key == "public.orders_cust");
    CHECK(f[0].table == "orders");
    CHECK(f[0].title == "index orders_cust is a prefix of orders_cust_created on public.orders");
    CHECK(f[0].fix_sql == "DROP INDEX CONCURRENTLY IF EXISTS public.orders_cust;");
}

TEST_CASE("redundant-index: the widest covering index is named", "[rules][redundant-index]") {
    auto cat = ddl(kOrders +
                   "CREATE INDEX a ON orders (customer_id);\n"
                   "CREATE INDEX ab ON orders (customer_id, status);\n"
                   "CREATE INDEX abc ON orders (customer_id, status, created_at);\n");
    auto f = on_catalog("redundant-index", cat);
    REQUIRE(f.size() == 2);  // a and ab, both under abc
    CHECK(f[0].key == "public.a");
    CHECK(f[0].title.find("prefix of abc") != std::string::npos);
    CHECK(f[1].key == "public.ab");
}

TEST_CASE("redundant-index: same keys, INCLUDE covered by the other", "[rules][redundant-index]") {
    auto cat = ddl(kOrders +
                   "CREATE INDEX narrow ON orders (status) INCLUDE (total);\n"
                   "CREATE INDEX wide ON orders (status) INCLUDE (total, created_at);\n");
    auto f = on_catalog("redundant-index", cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].key == "public.narrow");
}

TEST_CASE("redundant-index: same partial predicate on both", "[rules][redundant-index]") {
    auto cat = ddl(kOrders +
                   "CREATE INDEX p1 ON orders (status) WHERE created_at IS NULL;\n"
                   "CREATE INDEX p2 ON orders (status, total) WHERE created_at IS NULL;\n");
    auto f = on_catalog("redundant-index", cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].key == "public.p1");
}

TEST_CASE("redundant-index: look-alikes stay quiet", "[rules][redundant-index]") {
    const char* cases[] = {
        // different predicate: the narrow one covers rows the wide one does not index
        "CREATE INDEX a ON orders (status); CREATE INDEX b ON orders (status, total) WHERE created_at IS NULL;",
        // different predicate the other way round
        "CREATE INDEX a ON orders (status) WHERE created_at IS NULL; CREATE INDEX b ON orders (status, total);",
        // different method: a GIN/GiST/hash index is not a btree prefix
        "CREATE INDEX a ON orders USING hash (status); CREATE INDEX b ON orders (status, total);",
        // uniqueness matters: unique on (customer_id) is a stronger rule than any index on (customer_id, status)
        "CREATE UNIQUE INDEX a ON orders (customer_id); CREATE INDEX b ON orders (customer_id, status);",
        // INCLUDE the wide index lacks: index-only scans of the narrow one would stop
        "CREATE INDEX a ON orders (status) INCLUDE (total); CREATE INDEX b ON orders (status, created_at);",
        // expression vs column
        "CREATE INDEX a ON orders (lower(status)); CREATE INDEX b ON orders (status, total);",
        // not a leading prefix
        "CREATE INDEX a ON orders (status); CREATE INDEX b ON orders (total, status);",
        // different direction on the shared key
        "CREATE INDEX a ON orders (created_at DESC); CREATE INDEX b ON orders (created_at, total);",
        // identical: duplicate-index's business, not this rule's
        "CREATE INDEX a ON orders (status); CREATE INDEX b ON orders (status);",
    };
    for (const char* c : cases) {
        INFO(c);
        CHECK(on_catalog("redundant-index", ddl(kOrders + c)).empty());
    }
}

TEST_CASE("redundant-index: a primary key's index is never reported", "[rules][redundant-index]") {
    // orders_pkey (id) is a prefix of (id, status) but enforces the key.
    auto cat = ddl(kOrders + "CREATE INDEX orders_id_status ON orders (id, status);\n");
    CHECK(on_catalog("redundant-index", cat).empty());
}

TEST_CASE("redundant-index: the doc page's example", "[rules][redundant-index][doc]") {
    const auto fires = doc_example("redundant-index", "fires");
    const auto quiet = doc_example("redundant-index", "quiet");
    REQUIRE(!fires.empty());
    REQUIRE(!quiet.empty());
    CHECK(on_catalog("redundant-index", ddl(fires)).size() == 1);
    CHECK(on_catalog("redundant-index", ddl(quiet)).empty());
}
