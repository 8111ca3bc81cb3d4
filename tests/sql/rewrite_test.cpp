// Rewrites through libpg_query's tree and deparser.
#include <catch2/catch.hpp>

#include "sql/rewrite.hpp"
#include "sql/shape.hpp"

using namespace pgadvisor::sql;

namespace {

int param_location(const std::string& sql, int number) {
    auto r = shape_statement(sql);
    REQUIRE(r.shape);
    for (const auto& l : r.shape->literals)
        if (l.kind == LiteralKind::Parameter && l.param_number == number) return l.location;
    FAIL("no $" << number);
    return -1;
}

}  // namespace

BatchOptions at(const std::string& q, int number) {
    BatchOptions o;
    o.operand_location = param_location(q, number);
    return o;
}

TEST_CASE("an N+1 lookup becomes = ANY($n)", "[sql][rewrite]") {
    const std::string q = "SELECT * FROM order_items WHERE order_id = $1 /*route='x'*/";
    auto r = batch_lookup(q, at(q, 1));
    REQUIRE(r);
    CHECK(r.value->sql == "SELECT * FROM order_items WHERE order_id = ANY($1)");
    CHECK(r.value->form == BatchForm::AnyArray);
}

TEST_CASE("the batch selects the looked-up column so rows can be grouped by key", "[sql][rewrite]") {
    // Before: `SELECT title FROM posts WHERE user_id = ANY($1)` — no way to tell whose post a row is.
    const std::string q = "SELECT title FROM posts WHERE user_id = $1";
    auto r = batch_lookup(q, at(q, 1));
    REQUIRE(r);
    CHECK(r.value->sql == "SELECT title, user_id FROM posts WHERE user_id = ANY($1)");
    // Already there: nothing added (qualified, or through table.*).
    const std::string qualified = "SELECT p.\"userId\", p.title FROM posts p WHERE p.\"userId\" = $1";
    CHECK(batch_lookup(qualified, at(qualified, 1)).value->sql ==
          "SELECT p.\"userId\", p.title FROM posts p WHERE p.\"userId\" = ANY($1)");
    const std::string star = "SELECT p.* FROM posts p WHERE p.user_id = $1";
    CHECK(batch_lookup(star, at(star, 1)).value->sql == "SELECT p.* FROM posts p WHERE p.user_id = ANY($1)");
}

TEST_CASE("a parameter on the left moves to the right of ANY", "[sql][rewrite]") {
    const std::string q = "SELECT * FROM \"public\".\"OrderItem\" WHERE $1 = \"orderId\"";
    auto r = batch_lookup(q, at(q, 1));
    REQUIRE(r);
    CHECK(r.value->sql == "SELECT * FROM public.\"OrderItem\" WHERE \"orderId\" = ANY($1)");
}

TEST_CASE("a per-parent aggregate is batched per key, not into one total", "[sql][rewrite]") {
    // Before: `SELECT count(*) FROM posts WHERE "userId" = ANY($1)`: one count for all parents.
    const std::string q = "SELECT count(*) FROM posts WHERE \"userId\" = $1";
    auto o = at(q, 1);
    CHECK_FALSE(batch_lookup(q, o));  // no schema: unnest($1) cannot be typed, so no rewrite at all
    o.key_type = "integer";
    auto r = batch_lookup(q, o);
    REQUIRE(r);
    CHECK(r.value->form == BatchForm::LateralPerKey);
    CHECK(r.value->sql ==
          "SELECT pgadvisor_keys.key, per_key.* FROM unnest($1::int[]) pgadvisor_keys(key) CROSS JOIN LATERAL "
          "(SELECT count(*) FROM posts WHERE \"userId\" = pgadvisor_keys.key) per_key");
}

TEST_CASE("a per-parent LIMIT / OFFSET keeps its limit per key", "[sql][rewrite]") {
    // Before: `... WHERE oi.order_id = ANY($1) ... LIMIT $3`: $3 rows for all parents together.
    const std::string q =
        "SELECT oi.id, p.name FROM order_items oi JOIN products p ON p.id = oi.product_id "
        "WHERE oi.order_id = $1 AND p.status = $2 ORDER BY oi.id LIMIT $3 OFFSET $4";
    auto o = at(q, 1);
    o.key_type = "bigint";
    auto r = batch_lookup(q, o);
    REQUIRE(r);
    CHECK(r.value->form == BatchForm::LateralPerKey);
    CHECK(r.value->sql ==
          "SELECT pgadvisor_keys.key, per_key.* FROM unnest($1::bigint[]) pgadvisor_keys(key) CROSS JOIN LATERAL "
          "(SELECT oi.id, p.name FROM order_items oi JOIN products p ON p.id = oi.product_id "
          "WHERE oi.order_id = pgadvisor_keys.key AND p.status = $2 ORDER BY oi.id LIMIT $3 OFFSET $4) per_key");
}

TEST_CASE("an ORM's constant predicate is dropped when the logged values show it holds", "[sql][rewrite]") {
    // Prisma/Knex style `1=1`, normalized to `$2 = $3`. Before: kept as `$2 = $3` in the batch.
    const std::string q = "SELECT * FROM posts WHERE user_id = $1 AND $2 = $3 AND title = $4";
    auto o = at(q, 1);
    o.first_constant_param = 2;
    o.param_values = {std::string("7"), std::string("1"), std::string("1"), std::string("x")};
    auto r = batch_lookup(q, o);
    REQUIRE(r);
    CHECK(r.value->sql == "SELECT * FROM posts WHERE user_id = ANY($1) AND title = $2");  // no gap in $n
    // Values that differ (1=0) or are unknown: not shown to hold, so no batch.
    o.param_values[2] = std::string("0");
    CHECK_FALSE(batch_lookup(q, o));
    o.param_values = {};
    CHECK_FALSE(batch_lookup(q, o));
    // The application's own `$2 = $3` (both below first_constant_param) is left as it is.
    o.first_constant_param = 5;
    CHECK(batch_lookup(q, o).value->sql == "SELECT * FROM posts WHERE user_id = ANY($1) AND $2 = $3 AND title = $4");
}

TEST_CASE("a batch says which logged $n each of its $n takes and where its rows carry the key", "[sql][rewrite]") {
    // What the live equivalence check binds (issue 13): the key array and the values every call shared.
    const std::string q = "SELECT title FROM posts WHERE $2 = $3 AND user_id = $1 AND title = $4";
    auto o = at(q, 1);
    o.first_constant_param = 2;
    o.param_values = {std::string("7"), std::string("1"), std::string("1"), std::string("x")};
    auto r = batch_lookup(q, o);
    REQUIRE(r);
    CHECK(r.value->sql == "SELECT title, user_id FROM posts WHERE user_id = ANY($1) AND title = $2");
    CHECK(r.value->origin == std::vector<int>{1, 4});
    CHECK(r.value->key_column == BatchedLookup::KeyColumn::Last);
    const std::string star = "SELECT * FROM posts WHERE user_id = $2 AND title = $1";
    auto s = batch_lookup(star, at(star, 2));
    REQUIRE(s);
    CHECK(s.value->origin == std::vector<int>{1, 2});
    CHECK(s.value->key_column == BatchedLookup::KeyColumn::InRow);
    const std::string count = "SELECT count(*) FROM posts WHERE flag = $1 AND user_id = $2";
    auto c = at(count, 2);
    c.key_type = "integer";
    auto l = batch_lookup(count, c);
    REQUIRE(l);
    CHECK(l.value->key_column == BatchedLookup::KeyColumn::First);
    CHECK(l.value->origin == std::vector<int>{1, 2});
    // Not a SELECT: nothing is renumbered.
    const std::string del = "DELETE FROM posts WHERE user_id = $1 AND flag = $2";
    CHECK(batch_lookup(del, at(del, 1)).value->origin == std::vector<int>{1, 2});
}

TEST_CASE("batching refuses what is not a = comparison with that parameter", "[sql][rewrite]") {
    const std::string q = "SELECT * FROM t WHERE a > $1";
    CHECK_FALSE(batch_lookup(q, at(q, 1)));
    BatchOptions far;
    far.operand_location = 999;
    CHECK_FALSE(batch_lookup("SELECT * FROM t WHERE a = $1", far));
    CHECK_FALSE(batch_lookup("SELEC nothing", far));
}

TEST_CASE("an INSERT becomes an UPSERT, DO NOTHING or DO UPDATE", "[sql][rewrite]") {
    const std::string ins = "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)";
    auto nothing = upsert_from_insert(ins, {"cart_id", "product_id"}, ConflictAction::Nothing, {});
    REQUIRE(nothing);
    CHECK(*nothing.value ==
          "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3) "
          "ON CONFLICT (cart_id, product_id) DO NOTHING");
    auto update = upsert_from_insert(ins, {"cart_id", "product_id"}, ConflictAction::Update, {"quantity"});
    REQUIRE(update);
    CHECK(*update.value ==
          "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3) "
          "ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = excluded.quantity");
}

TEST_CASE("an UPSERT names a partial unique index's predicate for ON CONFLICT to infer it", "[sql][rewrite]") {
    const std::string ins = "INSERT INTO users (email, name) VALUES ($1, $2)";
    auto r = upsert_from_insert(ins, {"email"}, ConflictAction::Nothing, {}, {}, {}, "\"deletedAt\" IS NULL");
    REQUIRE(r);
    CHECK(*r.value ==
          "INSERT INTO users (email, name) VALUES ($1, $2) ON CONFLICT (email) WHERE \"deletedAt\" IS NULL DO NOTHING");
    auto update = upsert_from_insert(ins, {"email"}, ConflictAction::Update, {"email"}, {}, {"id"},
                                     "deleted_at IS NULL AND archived_at IS NULL");
    REQUIRE(update);
    CHECK(*update.value ==
          "INSERT INTO users (email, name) VALUES ($1, $2) ON CONFLICT (email) WHERE deleted_at IS NULL AND "
          "archived_at IS NULL DO UPDATE SET email = excluded.email RETURNING id");
}

TEST_CASE("an UPSERT returns the columns asked for, after the INSERT's own RETURNING", "[sql][rewrite]") {
    const std::string ins = "INSERT INTO tags (name, color) VALUES ($1, $2)";
    auto r = upsert_from_insert(ins, {"name"}, ConflictAction::Update, {"name"}, {}, {"id", "Color", "select"});
    REQUIRE(r);
    CHECK(*r.value ==
          "INSERT INTO tags (name, color) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = excluded.name "
          "RETURNING id, \"Color\", \"select\"");
    auto star = upsert_from_insert(ins, {"name"}, ConflictAction::Nothing, {}, {}, {"*"});
    REQUIRE(star);
    CHECK(*star.value == "INSERT INTO tags (name, color) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING *");
    // The INSERT's own items stay first; a column it already returns is not repeated; * covers all.
    auto own = upsert_from_insert(ins + " RETURNING id, now()", {"name"}, ConflictAction::Update, {"name"}, {},
                                  {"color", "id"});
    REQUIRE(own);
    CHECK(*own.value ==
          "INSERT INTO tags (name, color) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = excluded.name "
          "RETURNING id, now(), color");
    auto all = upsert_from_insert(ins + " RETURNING *", {"name"}, ConflictAction::Update, {"name"}, {}, {"color"});
    REQUIRE(all);
    CHECK(*all.value ==
          "INSERT INTO tags (name, color) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = excluded.name "
          "RETURNING *");
}

TEST_CASE("UPSERT identifiers are quoted exactly when PostgreSQL needs it", "[sql][rewrite]") {
    const std::string ins = "INSERT INTO \"Cart Items\" (\"cartId\", \"select\", qty) VALUES ($1, $2, $3)";
    auto r = upsert_from_insert(ins, {"cartId", "select"}, ConflictAction::Update, {"qty", "user"});
    REQUIRE(r);
    CHECK(*r.value ==
          "INSERT INTO \"Cart Items\" (\"cartId\", \"select\", qty) VALUES ($1, $2, $3) "
          "ON CONFLICT (\"cartId\", \"select\") DO UPDATE SET qty = excluded.qty, \"user\" = excluded.\"user\"");
}

TEST_CASE("an existing ON CONFLICT clause is replaced; non-INSERTs are refused", "[sql][rewrite]") {
    auto r = upsert_from_insert("INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING", {"a"},
                                ConflictAction::Update, {"b"});
    REQUIRE(r);
    CHECK(*r.value == "INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT (a) DO UPDATE SET b = excluded.b");
    CHECK_FALSE(upsert_from_insert("UPDATE t SET a = 1", {"a"}, ConflictAction::Nothing, {}));
    CHECK_FALSE(upsert_from_insert("INSERT INTO t (a) VALUES ($1)", {}, ConflictAction::Nothing, {}));
    CHECK_FALSE(upsert_from_insert("INSERT INTO t (a) VALUES ($1)", {"a"}, ConflictAction::Update, {}));
}

TEST_CASE("a counter's UPDATE keeps its computation in the UPSERT, on the existing row", "[sql][rewrite]") {
    const std::string ins = "INSERT INTO daily_counters (day, name, value) VALUES ($1, $2, $3)";
    // The application increments: an UPSERT with EXCLUDED.value would reset the counter instead.
    auto r = upsert_from_insert(ins, {"day", "name"}, ConflictAction::Update, {"value"},
                                "UPDATE daily_counters SET value = value + $1 WHERE day = $2 AND name = $3");
    REQUIRE(r.value);
    CHECK(*r.value ==
          "INSERT INTO daily_counters (day, name, value) VALUES ($1, $2, $3) ON CONFLICT (day, name) DO "
          "UPDATE SET value = daily_counters.value + $4");
    // An alias in the UPDATE names the same row: the table's name replaces it.
    auto aliased = upsert_from_insert(ins, {"day", "name"}, ConflictAction::Update, {"value"},
                                      "UPDATE daily_counters c SET value = c.value * 2 + $1 WHERE c.day = $2");
    REQUIRE(aliased.value);
    INFO(*aliased.value);
    CHECK(aliased.value->find("SET value = (daily_counters.value * 2) + $4") != std::string::npos);
    // As a log normalizes `value = value + 1`: the constant is numbered after the bound
    // parameters ($3); in the UPSERT it is the next one after the INSERT's.
    auto normalized = upsert_from_insert(ins, {"day", "name"}, ConflictAction::Update, {"value"},
                                         "UPDATE daily_counters SET value = value + $3 WHERE day = $1 AND name = $2");
    REQUIRE(normalized.value);
    CHECK(normalized.value->find("SET value = daily_counters.value + $4") != std::string::npos);
    // A plain value set by the UPDATE stays EXCLUDED: the INSERT's value is the new one.
    auto plain = upsert_from_insert(ins, {"day", "name"}, ConflictAction::Update, {"value"},
                                    "UPDATE daily_counters SET value = $1 WHERE day = $2 AND name = $3");
    REQUIRE(plain.value);
    CHECK(plain.value->find("SET value = excluded.value") != std::string::npos);
    // Quoting survives: a reserved word as table and column.
    auto quoted = upsert_from_insert("INSERT INTO \"order\" (id, \"user\") VALUES ($1, $2)", {"id"},
                                     ConflictAction::Update, {"user"},
                                     "UPDATE \"order\" SET \"user\" = \"user\" || $1 WHERE id = $2");
    REQUIRE(quoted.value);
    CHECK(quoted.value->find("SET \"user\" = \"order\".\"user\" || $3") != std::string::npos);
}
