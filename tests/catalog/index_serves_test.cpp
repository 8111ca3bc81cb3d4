// catalog::index_serves: the one answer to "does an existing index already
// serve this?" for seq-scan, n-plus-one, fk-without-index and the advisor.
#include <catch2/catch.hpp>

#include "catalog/index_serves.hpp"

using namespace pgadvisor;
using catalog::IndexAccess;
using catalog::IndexKey;
using catalog::ServeDepth;

namespace {

IndexKey col(const std::string& c, bool desc = false) { return {c, "", desc, desc}; }
IndexKey expr(const std::string& e) { return {"", e, false, false}; }

catalog::Index btree(std::vector<IndexKey> keys) {
    catalog::Index i;
    i.schema = "public";
    i.table = "orders";
    i.name = "ix";
    i.keys = std::move(keys);
    return i;
}

IndexAccess equality(std::vector<IndexKey> keys) {
    IndexAccess a;
    a.equality = std::move(keys);
    return a;
}

bool whole(const catalog::Index& i, const IndexAccess& a) { return catalog::index_serves(i, a, ServeDepth::Whole); }
bool leading(const catalog::Index& i, const IndexAccess& a) { return catalog::index_serves(i, a, ServeDepth::Leading); }

}  // namespace

TEST_CASE("index_serves: equality keys in any order among the leading keys", "[catalog][index_serves]") {
    const auto ix = btree({col("status"), col("customer_id"), col("created_at")});
    CHECK(whole(ix, equality({col("customer_id"), col("status")})));
    CHECK(whole(ix, equality({col("status")})));
    // customer_id alone is not a leading key: the planner cannot start there (no skip scan in PG 15).
    CHECK_FALSE(whole(ix, equality({col("customer_id")})));
    CHECK_FALSE(leading(ix, equality({col("customer_id")})));
    // Leading: the first key is constrained, the rest may be filters.
    CHECK(leading(ix, equality({col("status"), col("total")})));
    CHECK_FALSE(whole(ix, equality({col("status"), col("total")})));
}

TEST_CASE("index_serves: a range key follows the equality keys, in either direction", "[catalog][index_serves]") {
    IndexAccess a = equality({col("customer_id")});
    a.range = col("created_at");
    CHECK(whole(btree({col("customer_id"), col("created_at")}), a));
    CHECK(whole(btree({col("customer_id"), col("created_at", true)}), a));
    CHECK_FALSE(whole(btree({col("created_at"), col("customer_id")}), a));
    CHECK(leading(btree({col("created_at")}), a));
}

TEST_CASE("index_serves: ORDER BY keys in sequence, all forward or all backward", "[catalog][index_serves]") {
    IndexAccess a = equality({col("customer_id")});
    a.order = {col("created_at", true), col("id", true)};
    CHECK(whole(btree({col("customer_id"), col("created_at", true), col("id", true)}), a));
    CHECK(whole(btree({col("customer_id"), col("created_at"), col("id")}), a));  // a backward scan
    CHECK_FALSE(whole(btree({col("customer_id"), col("created_at", true), col("id")}), a));
    CHECK_FALSE(whole(btree({col("customer_id"), col("id"), col("created_at")}), a));
}

TEST_CASE("index_serves: expression keys by canonical text", "[catalog][index_serves]") {
    const auto a = equality({expr("lower(email)")});
    CHECK(whole(btree({expr("lower((email)::text)")}), a));
    CHECK_FALSE(whole(btree({col("email")}), a));
    CHECK_FALSE(whole(btree({expr("upper(email)")}), a));
    CHECK_FALSE(whole(btree({expr("lower(email)")}), equality({col("email")})));
}

TEST_CASE("index_serves: invalid, partial and other methods", "[catalog][index_serves]") {
    const auto a = equality({col("customer_id")});
    auto ix = btree({col("customer_id")});
    ix.valid = false;  // a failed CREATE INDEX CONCURRENTLY
    CHECK_FALSE(whole(ix, a));
    CHECK_FALSE(leading(ix, a));

    ix = btree({col("customer_id")});
    ix.predicate = "deleted_at IS NULL";
    CHECK_FALSE(whole(ix, a));  // the statement is not known to have the predicate
    CHECK_FALSE(leading(ix, a));
    IndexAccess with = a;
    with.predicate = "(deleted_at IS NULL)";
    CHECK(whole(ix, with));                           // the same predicate, written differently
    CHECK(whole(btree({col("customer_id")}), with));  // a full index serves any statement

    ix = btree({col("customer_id")});
    ix.method = "hash";
    CHECK(whole(ix, a));
    IndexAccess two = equality({col("customer_id"), col("status")});
    CHECK_FALSE(whole(ix, two));  // hash: = on its one key only
    CHECK(leading(ix, two));
    IndexAccess ranged;
    ranged.range = col("customer_id");
    CHECK_FALSE(leading(ix, ranged));  // hash has no order

    ix.method = "gin";
    CHECK_FALSE(leading(ix, a));
}

TEST_CASE("index_serves: an ON CONFLICT arbiter is a unique index on exactly the keys", "[catalog][index_serves]") {
    IndexAccess a = equality({col("cart_id"), col("product_id")});
    a.unique = true;
    auto ix = btree({col("product_id"), col("cart_id")});
    CHECK_FALSE(whole(ix, a));  // not unique
    ix.unique = true;
    CHECK(whole(ix, a));
    ix.keys.push_back(col("size"));
    CHECK_FALSE(whole(ix, a));  // unique on more columns does not make (cart_id, product_id) unique
}

TEST_CASE("serving_index: the first of the table's indexes that serves", "[catalog][index_serves]") {
    catalog::Catalog cat;
    catalog::Table t;
    t.schema = "public";
    t.name = "orders";
    cat.tables.push_back(t);
    auto partial = btree({col("customer_id")});
    partial.name = "orders_open_customer";
    partial.predicate = "closed_at IS NULL";
    auto full = btree({col("customer_id"), col("status")});
    full.name = "orders_customer_status";
    cat.indexes = {partial, full};
    const auto* found = catalog::serving_index(cat, cat.tables[0], equality({col("customer_id")}), ServeDepth::Whole);
    REQUIRE(found);
    CHECK(found->name == "orders_customer_status");
    CHECK_FALSE(catalog::serving_index(cat, cat.tables[0], equality({col("status")}), ServeDepth::Leading));
}

TEST_CASE("index_serves: a pattern operator class answers equality, not ranges or ORDER BY",
          "[catalog][index_serves]") {
    IndexKey like = col("name");
    like.opclass = "varchar_pattern_ops";
    const auto pattern = btree({like});
    CHECK(whole(pattern, equality({col("name")})));
    IndexAccess range;
    range.range = col("name");
    CHECK_FALSE(leading(pattern, range));
    IndexAccess order;
    order.order = {col("name")};
    CHECK_FALSE(whole(pattern, order));
    // A class the catalog does not know answers none of them.
    IndexKey other = col("name");
    other.opclass = "my_ops";
    CHECK_FALSE(whole(btree({other}), equality({col("name")})));
}
