// QueryShape field by field, on statements as applications and ORMs send them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>

#include "sql/shape.hpp"

using namespace pgadvisor::sql;

namespace {

QueryShape shape_of(const std::string& sql) {
    INFO(sql);
    auto r = shape_statement(sql);
    if (r.error) FAIL_CHECK("unexpected parse error: " << r.error->message);
    REQUIRE(r.shape);
    return *r.shape;
}

ColumnRef col(int table, std::string qualifier, std::string column) {
    ColumnRef c;
    c.table = table;
    c.qualifier = std::move(qualifier);
    c.column = std::move(column);
    return c;
}

// The predicate on `column` (the only one expected on it).
const Predicate& pred(const QueryShape& s, const std::string& column) {
    auto n = std::count_if(s.predicates.begin(), s.predicates.end(),
                           [&](const Predicate& p) { return p.column.column == column; });
    INFO("predicate on " << column);
    REQUIRE(n == 1);
    return *std::find_if(s.predicates.begin(), s.predicates.end(),
                         [&](const Predicate& p) { return p.column.column == column; });
}

void check_table(const QueryShape& s, std::size_t i, const std::string& schema, const std::string& name,
                 const std::string& alias, bool written = false) {
    INFO("table " << i);
    REQUIRE(s.tables.size() > i);
    CHECK(s.tables[i].schema == schema);
    CHECK(s.tables[i].name == name);
    CHECK(s.tables[i].alias == alias);
    CHECK(s.tables[i].written == written);
}

int at(const std::string& sql, const std::string& needle) { return static_cast<int>(sql.find(needle)); }

}  // namespace

// ---- basics --------------------------------------------------------------------

TEST_CASE("simple select: table, equality on a constant, literal with its place", "[sql][shape]") {
    const std::string sql = "SELECT id, name FROM users WHERE id = 42";
    auto s = shape_of(sql);
    CHECK(s.kind == StatementKind::Select);
    CHECK(s.node_type == "SelectStmt");
    CHECK(s.text == sql);
    REQUIRE(s.tables.size() == 1);
    check_table(s, 0, "", "users", "");
    REQUIRE(s.predicates.size() == 1);
    const auto& p = s.predicates[0];
    CHECK(p.column == col(0, "", "id"));
    CHECK(p.cls == PredicateClass::Equality);
    CHECK(p.op == "=");
    CHECK(p.operand == OperandKind::Constant);
    CHECK(p.literal_index == 0);
    CHECK_FALSE(p.in_join);
    REQUIRE(s.literals.size() == 1);
    CHECK(s.literals[0].kind == LiteralKind::Constant);
    CHECK(s.literals[0].value == "42");
    CHECK(s.literals[0].location == at(sql, "42"));
    CHECK(s.literals[0].length == 2);
    CHECK(s.fingerprint_hex.size() == 16);
    CHECK(s.normalized == "SELECT id, name FROM users WHERE id = $1");
    CHECK_FALSE(s.has_limit);
    CHECK_FALSE(s.has_subquery);
    CHECK_FALSE(s.insert);
}

TEST_CASE("a constant on the left is moved to the right, flipping < and >", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM users WHERE 42 = id AND 18 < age AND 65 >= age2");
    CHECK(pred(s, "id").op == "=");
    CHECK(pred(s, "id").cls == PredicateClass::Equality);
    CHECK(pred(s, "id").operand == OperandKind::Constant);
    CHECK(pred(s, "age").op == ">");
    CHECK(pred(s, "age").cls == PredicateClass::Range);
    CHECK(pred(s, "age2").op == "<=");
    CHECK(pred(s, "age").literal_index == 1);
}

// ---- joins -----------------------------------------------------------------------

TEST_CASE("inner join: ON equality is a join and an in-join predicate", "[sql][shape]") {
    auto s = shape_of("SELECT o.id FROM orders o INNER JOIN customers c ON c.id = o.customer_id WHERE c.email = $1");
    REQUIRE(s.tables.size() == 2);
    check_table(s, 0, "", "orders", "o");
    check_table(s, 1, "", "customers", "c");
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "c", "id"));
    CHECK(s.joins[0].right == col(0, "o", "customer_id"));
    const auto& on = pred(s, "id");
    CHECK(on.in_join);
    CHECK(on.operand == OperandKind::Column);
    CHECK(on.column == col(1, "c", "id"));
    const auto& email = pred(s, "email");
    CHECK_FALSE(email.in_join);
    CHECK(email.operand == OperandKind::Parameter);
    CHECK(email.param_number == 1);
    CHECK(email.column == col(1, "c", "email"));
}

TEST_CASE("left join with an extra constant condition in ON", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM accounts a LEFT JOIN invoices i ON i.account_id = a.id AND i.kind = 'x'");
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "i", "account_id"));
    CHECK(s.joins[0].right == col(0, "a", "id"));
    CHECK(pred(s, "kind").in_join);
    CHECK(pred(s, "kind").operand == OperandKind::Constant);
    CHECK(s.predicates.size() == 2);
}

TEST_CASE("right and full joins", "[sql][shape]") {
    auto r = shape_of("SELECT * FROM a RIGHT OUTER JOIN b ON a.b_id = b.id");
    REQUIRE(r.joins.size() == 1);
    CHECK(r.joins[0].left == col(0, "a", "b_id"));
    CHECK(r.joins[0].right == col(1, "b", "id"));
    auto f = shape_of("SELECT * FROM a FULL JOIN b ON b.x = a.x");
    REQUIRE(f.joins.size() == 1);
    CHECK(f.joins[0].left == col(1, "b", "x"));
    CHECK(f.joins[0].right == col(0, "a", "x"));
}

TEST_CASE("cross join with the join condition in WHERE", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM a CROSS JOIN b WHERE a.x = b.y AND b.z > 3");
    REQUIRE(s.tables.size() == 2);
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(0, "a", "x"));
    CHECK(s.joins[0].right == col(1, "b", "y"));
    CHECK_FALSE(pred(s, "x").in_join);
    CHECK(pred(s, "z").cls == PredicateClass::Range);
}

TEST_CASE("comma join and a bare boolean column", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM users u, orders o WHERE o.user_id = u.id AND u.active");
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "o", "user_id"));
    CHECK(s.joins[0].right == col(0, "u", "id"));
    CHECK(pred(s, "active").cls == PredicateClass::Other);
    CHECK(pred(s, "active").column == col(0, "u", "active"));
}

TEST_CASE("JOIN USING equates the column on both sides", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM orders JOIN order_items USING (order_id)");
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(0, "orders", "order_id"));
    CHECK(s.joins[0].right == col(1, "order_items", "order_id"));
    CHECK(pred(s, "order_id").in_join);
}

TEST_CASE("NATURAL JOIN names no columns: tables but no join equality", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM a NATURAL JOIN b");
    CHECK(s.tables.size() == 2);
    CHECK(s.joins.empty());
    CHECK(s.predicates.empty());
}

TEST_CASE("the same table under two aliases is two references", "[sql][shape]") {
    auto s = shape_of("SELECT e.name, m.name FROM employees e JOIN employees m ON m.id = e.manager_id");
    REQUIRE(s.tables.size() == 2);
    check_table(s, 0, "", "employees", "e");
    check_table(s, 1, "", "employees", "m");
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "m", "id"));
    CHECK(s.joins[0].right == col(0, "e", "manager_id"));
}

TEST_CASE("the same table with the same alias in one scope is one reference", "[sql][shape]") {
    auto s = shape_of("SELECT 1 FROM items, items WHERE items.id = 1");
    REQUIRE(s.tables.size() == 1);
    CHECK(pred(s, "id").column == col(0, "items", "id"));
}

TEST_CASE("an unqualified column with two tables in scope is not resolved", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM a JOIN b ON a.id = b.a_id WHERE status = 'open'");
    CHECK(pred(s, "status").column == col(-1, "", "status"));
}

// ---- CTEs and subqueries ------------------------------------------------------------

TEST_CASE("CTE: its name is not a table, its body's tables are", "[sql][shape]") {
    auto s = shape_of(
        "WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval '1 day') "
        "SELECT r.id FROM recent r JOIN customers c ON c.id = r.customer_id");
    REQUIRE(s.tables.size() == 2);
    check_table(s, 0, "", "orders", "");
    check_table(s, 1, "", "customers", "c");
    REQUIRE(s.cte_names == std::vector<std::string>{"recent"});
    CHECK_FALSE(s.recursive_cte);
    const auto& created = pred(s, "created_at");
    CHECK(created.column == col(0, "", "created_at"));
    CHECK(created.cls == PredicateClass::Range);
    CHECK(created.operand == OperandKind::Expression);
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "c", "id"));
    CHECK(s.joins[0].right == col(-1, "r", "customer_id"));
}

TEST_CASE("WITH RECURSIVE: the CTE refers to itself", "[sql][shape]") {
    auto s = shape_of(
        "WITH RECURSIVE tree AS (SELECT id, parent_id FROM categories WHERE id = $1 "
        "UNION ALL SELECT c.id, c.parent_id FROM categories c JOIN tree t ON c.parent_id = t.id) "
        "SELECT * FROM tree");
    CHECK(s.recursive_cte);
    CHECK(s.cte_names == std::vector<std::string>{"tree"});
    REQUIRE(s.tables.size() == 2);
    check_table(s, 0, "", "categories", "");
    check_table(s, 1, "", "categories", "c");
    CHECK(pred(s, "id").column == col(0, "", "id"));
    CHECK(pred(s, "id").param_number == 1);
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "c", "parent_id"));
    CHECK(s.joins[0].right == col(-1, "t", "id"));
}

TEST_CASE("a non-recursive CTE named like a table reads the table", "[sql][shape]") {
    auto s = shape_of("WITH orders AS (SELECT * FROM orders WHERE paid_at IS NOT NULL) SELECT * FROM orders");
    REQUIRE(s.tables.size() == 1);
    check_table(s, 0, "", "orders", "");
    CHECK(pred(s, "paid_at").cls == PredicateClass::IsNotNull);
}

TEST_CASE("correlated EXISTS resolves the outer alias", "[sql][shape]") {
    auto s = shape_of(
        "SELECT c.id FROM customers c WHERE EXISTS "
        "(SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.total > 100)");
    CHECK(s.has_subquery);
    REQUIRE(s.tables.size() == 2);
    const auto& p = pred(s, "customer_id");
    CHECK(p.column == col(1, "o", "customer_id"));
    CHECK(p.operand == OperandKind::Column);
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].right == col(0, "c", "id"));
    CHECK(pred(s, "total").cls == PredicateClass::Range);
}

TEST_CASE("correlated comparison written outer-first keeps the inner column as subject", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE c.id = o.customer_id)");
    REQUIRE(s.predicates.size() == 1);
    CHECK(s.predicates[0].column == col(1, "o", "customer_id"));
    CHECK(s.predicates[0].op == "=");
}

TEST_CASE("IN (SELECT ...) is an in-list fed by a subquery", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM users WHERE id IN (SELECT user_id FROM banned WHERE until > now())");
    REQUIRE(s.tables.size() == 2);
    check_table(s, 1, "", "banned", "");
    const auto& p = pred(s, "id");
    CHECK(p.cls == PredicateClass::InList);
    CHECK(p.op == "IN");
    CHECK(p.operand == OperandKind::Expression);
    CHECK(p.column == col(0, "", "id"));
    CHECK(pred(s, "until").column == col(1, "", "until"));
    CHECK(s.has_subquery);
}

TEST_CASE("scalar subquery in the select list, correlated", "[sql][shape]") {
    auto s = shape_of("SELECT u.name, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) FROM users u");
    REQUIRE(s.tables.size() == 2);
    check_table(s, 0, "", "users", "u");
    check_table(s, 1, "", "orders", "o");
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "o", "user_id"));
    CHECK(s.joins[0].right == col(0, "u", "id"));
}

TEST_CASE("LATERAL subquery sees the FROM items before it", "[sql][shape]") {
    auto s = shape_of(
        "SELECT u.id, l.total FROM users u CROSS JOIN LATERAL "
        "(SELECT o.total FROM orders o WHERE o.user_id = u.id ORDER BY o.created_at DESC LIMIT 1) l");
    REQUIRE(s.tables.size() == 2);
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "o", "user_id"));
    CHECK(s.joins[0].right == col(0, "u", "id"));
    CHECK(s.has_subquery);
    // ORDER BY / LIMIT describe the outermost query only.
    CHECK(s.order_by.empty());
    CHECK_FALSE(s.has_limit);
}

TEST_CASE("a subquery in FROM without LATERAL does not see its siblings", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM users u, (SELECT * FROM orders WHERE orders.user_id = u.id) x");
    // u is not visible inside (PostgreSQL rejects this): it stays unresolved.
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].right == col(-1, "u", "id"));
    CHECK(pred(s, "user_id").operand == OperandKind::Column);
    CHECK(pred(s, "user_id").column == col(1, "orders", "user_id"));
}

TEST_CASE("a column of a subquery alias has no table but keeps the alias", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM (SELECT id FROM t) sub WHERE sub.id = 3");
    REQUIRE(s.tables.size() == 1);
    CHECK(pred(s, "id").column == col(-1, "sub", "id"));
}

TEST_CASE("UNION branches each get their own scope", "[sql][shape]") {
    auto s = shape_of("SELECT id FROM a WHERE x = 1 UNION SELECT id FROM b WHERE y = 2 ORDER BY id LIMIT 5");
    REQUIRE(s.tables.size() == 2);
    CHECK(pred(s, "x").column == col(0, "", "x"));
    CHECK(pred(s, "y").column == col(1, "", "y"));
    REQUIRE(s.order_by.size() == 1);
    CHECK(s.order_by[0].column == col(-1, "", "id"));
    CHECK(s.has_limit);
}

TEST_CASE("INTERSECT and EXCEPT", "[sql][shape]") {
    auto s = shape_of("SELECT id FROM a INTERSECT SELECT id FROM b EXCEPT SELECT id FROM c WHERE c.gone");
    REQUIRE(s.tables.size() == 3);
    check_table(s, 2, "", "c", "");
    CHECK(pred(s, "gone").column == col(2, "c", "gone"));
}

// ---- predicate classes -------------------------------------------------------------

TEST_CASE("IN list of constants points at the first value", "[sql][shape]") {
    const std::string sql = "SELECT * FROM t WHERE status IN ('a', 'b', 'c')";
    auto s = shape_of(sql);
    const auto& p = pred(s, "status");
    CHECK(p.cls == PredicateClass::InList);
    CHECK(p.op == "IN");
    CHECK(p.operand == OperandKind::Constant);
    REQUIRE(s.literals.size() == 3);
    CHECK(p.literal_index == 0);
    CHECK(s.literals[0].value == "a");
    CHECK(s.literals[2].value == "c");
    CHECK(s.literals[1].location == at(sql, "'b'"));
    CHECK(s.literals[1].length == 3);
}

TEST_CASE("NOT IN and <> are other", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM t WHERE a NOT IN (1, 2) AND b <> 3");
    CHECK(pred(s, "a").cls == PredicateClass::Other);
    CHECK(pred(s, "a").op == "NOT IN");
    CHECK(pred(s, "b").cls == PredicateClass::Other);
    CHECK(pred(s, "b").op == "<>");
    CHECK(pred(s, "b").operand == OperandKind::Constant);
}

TEST_CASE("= ANY($1) and = ANY(ARRAY[...]) are in-lists", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM t WHERE id = ANY($1) AND kind = ANY(ARRAY[1, 2, 3])");
    const auto& id = pred(s, "id");
    CHECK(id.cls == PredicateClass::InList);
    CHECK(id.operand == OperandKind::Parameter);
    CHECK(id.param_number == 1);
    CHECK(id.literal_index == 0);
    const auto& kind = pred(s, "kind");
    CHECK(kind.cls == PredicateClass::InList);
    CHECK(kind.operand == OperandKind::Constant);
    CHECK(kind.literal_index == 1);
}

TEST_CASE("BETWEEN is a range; NOT BETWEEN is other", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM events WHERE created_at BETWEEN $1 AND $2 AND score NOT BETWEEN 1 AND 5");
    const auto& p = pred(s, "created_at");
    CHECK(p.cls == PredicateClass::Range);
    CHECK(p.op == "BETWEEN");
    CHECK(p.operand == OperandKind::Parameter);
    CHECK(p.param_number == 1);
    CHECK(pred(s, "score").cls == PredicateClass::Other);
}

TEST_CASE("IS NULL and IS NOT NULL", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM users WHERE deleted_at IS NULL AND email IS NOT NULL");
    CHECK(pred(s, "deleted_at").cls == PredicateClass::IsNull);
    CHECK(pred(s, "deleted_at").op == "IS NULL");
    CHECK(pred(s, "deleted_at").operand == OperandKind::None);
    CHECK(pred(s, "email").cls == PredicateClass::IsNotNull);
}

TEST_CASE("LIKE with a constant prefix versus a leading wildcard or a parameter", "[sql][shape]") {
    auto s = shape_of(
        "SELECT * FROM p WHERE a LIKE 'ab%' AND b LIKE '%ab' AND c LIKE $1 AND d ILIKE 'x%' AND e NOT LIKE 'a%' "
        "AND f LIKE '_b%'");
    CHECK(pred(s, "a").cls == PredicateClass::LikePrefix);
    CHECK(pred(s, "a").op == "~~");
    CHECK(pred(s, "b").cls == PredicateClass::Other);
    CHECK(pred(s, "c").cls == PredicateClass::Other);
    CHECK(pred(s, "c").operand == OperandKind::Parameter);
    CHECK(pred(s, "d").cls == PredicateClass::LikePrefix);
    CHECK(pred(s, "d").op == "~~*");
    CHECK(pred(s, "e").cls == PredicateClass::Other);
    CHECK(pred(s, "e").op == "!~~");
    CHECK(pred(s, "f").cls == PredicateClass::Other);
}

TEST_CASE("conjuncts under OR or NOT are not index predicates", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM t WHERE (a = 1 OR b = 2) AND NOT (c = 3) AND d = 4");
    REQUIRE(s.predicates.size() == 1);
    CHECK(s.predicates[0].column.column == "d");
    CHECK(s.predicates[0].literal_index == 3);
}

TEST_CASE("lower(col) = $1 records the function", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM users WHERE lower(email) = $1");
    const auto& p = pred(s, "email");
    CHECK(p.function == "lower");
    CHECK(p.cls == PredicateClass::Equality);
    CHECK(p.operand == OperandKind::Parameter);
}

TEST_CASE("casts: a cast constant is a constant, a cast parameter a parameter", "[sql][shape]") {
    const std::string sql = "SELECT * FROM o WHERE created_at >= '2024-01-01'::date AND n = $1::int";
    auto s = shape_of(sql);
    const auto& c = pred(s, "created_at");
    CHECK(c.operand == OperandKind::Constant);
    CHECK(c.cls == PredicateClass::Range);
    REQUIRE(c.literal_index == 0);
    CHECK(s.literals[0].value == "2024-01-01");
    CHECK(s.literals[0].location == at(sql, "'2024"));
    CHECK(s.literals[0].length == 12);
    CHECK(pred(s, "n").operand == OperandKind::Parameter);
    CHECK(pred(s, "n").param_number == 1);
}

TEST_CASE("an expression operand", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM sessions WHERE expires_at < now() - interval '1 day'");
    CHECK(pred(s, "expires_at").operand == OperandKind::Expression);
    CHECK(pred(s, "expires_at").op == "<");
}

// ---- INSERT / UPDATE / DELETE / MERGE --------------------------------------------------

TEST_CASE("INSERT ... ON CONFLICT (cols) DO NOTHING", "[sql][shape]") {
    auto s = shape_of("INSERT INTO likes (user_id, post_id) VALUES ($1, $2) ON CONFLICT (user_id, post_id) DO NOTHING");
    CHECK(s.kind == StatementKind::Insert);
    REQUIRE(s.tables.size() == 1);
    check_table(s, 0, "", "likes", "", true);
    REQUIRE(s.insert);
    CHECK(s.insert->table == 0);
    CHECK(s.insert->columns == std::vector<std::string>{"user_id", "post_id"});
    CHECK(s.insert->rows == 1);
    CHECK_FALSE(s.insert->from_select);
    CHECK(s.insert->on_conflict == ConflictAction::Nothing);
    CHECK(s.insert->conflict_columns == std::vector<std::string>{"user_id", "post_id"});
    CHECK(s.insert->conflict_constraint.empty());
    REQUIRE(s.literals.size() == 2);
    CHECK(s.literals[1].param_number == 2);
}

TEST_CASE("INSERT ... ON CONFLICT DO UPDATE SET", "[sql][shape]") {
    auto s = shape_of(
        "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (17, 3, 1) "
        "ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + EXCLUDED.quantity, "
        "updated_at = now()");
    REQUIRE(s.insert);
    CHECK(s.insert->on_conflict == ConflictAction::Update);
    CHECK(s.insert->conflict_update_columns == std::vector<std::string>{"quantity", "updated_at"});
    REQUIRE(s.literals.size() == 3);
    CHECK(s.literals[0].value == "17");
    CHECK(s.tables.size() == 1);
}

TEST_CASE("INSERT ... ON CONFLICT ON CONSTRAINT", "[sql][shape]") {
    auto s = shape_of(
        "INSERT INTO users (email) VALUES ('a@b.c') ON CONFLICT ON CONSTRAINT users_email_key DO NOTHING");
    REQUIRE(s.insert);
    CHECK(s.insert->conflict_constraint == "users_email_key");
    CHECK(s.insert->conflict_columns.empty());
    CHECK(s.insert->on_conflict == ConflictAction::Nothing);
}

TEST_CASE("INSERT with several VALUES rows and RETURNING", "[sql][shape]") {
    auto s = shape_of("INSERT INTO tags (name) VALUES ('a'), ('b'), ('c') RETURNING id");
    REQUIRE(s.insert);
    CHECK(s.insert->rows == 3);
    CHECK(s.insert->on_conflict == ConflictAction::None);
    CHECK(s.has_returning);
    CHECK(s.literals.size() == 3);
}

TEST_CASE("INSERT DEFAULT VALUES and INSERT without a column list", "[sql][shape]") {
    auto d = shape_of("INSERT INTO audit DEFAULT VALUES");
    REQUIRE(d.insert);
    CHECK(d.insert->rows == 0);
    CHECK_FALSE(d.insert->from_select);
    auto n = shape_of("INSERT INTO audit VALUES (1, 'x')");
    REQUIRE(n.insert);
    CHECK(n.insert->columns.empty());
    CHECK(n.insert->rows == 1);
}

TEST_CASE("INSERT ... SELECT reads its source tables", "[sql][shape]") {
    auto s = shape_of("INSERT INTO archive (id, total) SELECT id, total FROM orders WHERE created_at < $1");
    REQUIRE(s.tables.size() == 2);
    check_table(s, 0, "", "archive", "", true);
    check_table(s, 1, "", "orders", "");
    REQUIRE(s.insert);
    CHECK(s.insert->from_select);
    CHECK(s.insert->rows == 0);
    CHECK(pred(s, "created_at").column == col(1, "", "created_at"));
    CHECK(pred(s, "created_at").cls == PredicateClass::Range);
}

TEST_CASE("UPDATE ... FROM joins the written table", "[sql][shape]") {
    auto s = shape_of(
        "UPDATE orders o SET status = 'paid', paid_at = now() FROM payments p "
        "WHERE p.order_id = o.id AND p.state = $1");
    CHECK(s.kind == StatementKind::Update);
    REQUIRE(s.tables.size() == 2);
    check_table(s, 0, "", "orders", "o", true);
    check_table(s, 1, "", "payments", "p");
    CHECK(s.set_columns == std::vector<std::string>{"status", "paid_at"});
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(1, "p", "order_id"));
    CHECK(s.joins[0].right == col(0, "o", "id"));
    CHECK(pred(s, "state").param_number == 1);
}

TEST_CASE("UPDATE with an unqualified WHERE on the only table", "[sql][shape]") {
    auto s = shape_of("UPDATE daily_counters SET hits = hits + 1 WHERE day = current_date AND name = 'checkout'");
    CHECK(pred(s, "name").column == col(0, "", "name"));
    CHECK(pred(s, "day").operand == OperandKind::Expression);
    CHECK(s.set_columns == std::vector<std::string>{"hits"});
}

TEST_CASE("DELETE ... USING", "[sql][shape]") {
    auto s = shape_of("DELETE FROM sessions s USING users u WHERE s.user_id = u.id AND u.deleted_at IS NOT NULL");
    CHECK(s.kind == StatementKind::Delete);
    check_table(s, 0, "", "sessions", "s", true);
    check_table(s, 1, "", "users", "u");
    REQUIRE(s.joins.size() == 1);
    CHECK(pred(s, "deleted_at").column == col(1, "u", "deleted_at"));
}

TEST_CASE("DELETE ... RETURNING", "[sql][shape]") {
    auto s = shape_of("DELETE FROM jobs WHERE id = $1 RETURNING payload");
    CHECK(s.has_returning);
    CHECK(pred(s, "id").column == col(0, "", "id"));
}

TEST_CASE("MERGE: target written, source read, ON is a join", "[sql][shape]") {
    auto s = shape_of(
        "MERGE INTO inventory i USING shipments s ON i.sku = s.sku "
        "WHEN MATCHED THEN UPDATE SET qty = i.qty + s.qty "
        "WHEN NOT MATCHED THEN INSERT (sku, qty) VALUES (s.sku, s.qty)");
    CHECK(s.kind == StatementKind::Merge);
    CHECK(s.node_type == "MergeStmt");
    check_table(s, 0, "", "inventory", "i", true);
    check_table(s, 1, "", "shipments", "s");
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(0, "i", "sku"));
    CHECK(s.joins[0].right == col(1, "s", "sku"));
    CHECK(pred(s, "sku").in_join);
    CHECK(s.set_columns == std::vector<std::string>{"qty"});
}

TEST_CASE("MERGE USING a subquery", "[sql][shape]") {
    auto s = shape_of(
        "MERGE INTO totals t USING (SELECT customer_id, sum(amount) AS s FROM payments WHERE day = $1 "
        "GROUP BY customer_id) p ON t.customer_id = p.customer_id WHEN MATCHED THEN UPDATE SET total = p.s");
    REQUIRE(s.tables.size() == 2);
    check_table(s, 1, "", "payments", "");
    CHECK(pred(s, "day").column == col(1, "", "day"));
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].right == col(-1, "p", "customer_id"));
}

TEST_CASE("data-modifying CTE feeding an INSERT", "[sql][shape]") {
    auto s = shape_of(
        "WITH moved AS (DELETE FROM queue WHERE id = $1 RETURNING *) INSERT INTO done SELECT * FROM moved");
    REQUIRE(s.tables.size() == 2);
    check_table(s, 0, "", "queue", "", true);
    check_table(s, 1, "", "done", "", true);
    REQUIRE(s.insert);
    CHECK(s.insert->table == 1);
    CHECK(s.insert->from_select);
    CHECK(s.cte_names == std::vector<std::string>{"moved"});
}

// ---- ORDER BY, GROUP BY, LIMIT, DISTINCT, locking, windows --------------------------------

TEST_CASE("ORDER BY columns and expressions with direction and nulls", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM users ORDER BY lower(name) ASC NULLS FIRST, created_at DESC, 2");
    REQUIRE(s.order_by.size() == 3);
    CHECK(s.order_by[0].column.column.empty());
    CHECK(s.order_by[0].expression == "lower(name)");
    CHECK(s.order_by[0].direction == SortDirection::Asc);
    CHECK(s.order_by[0].nulls == NullsOrder::First);
    CHECK(s.order_by[1].column == col(0, "", "created_at"));
    CHECK(s.order_by[1].direction == SortDirection::Desc);
    CHECK(s.order_by[1].nulls == NullsOrder::Default);
    CHECK(s.order_by[2].expression == "2");
    CHECK(s.order_by[2].direction == SortDirection::Default);
}

// Dexter's order_column_number case: ORDER BY 1 DESC over user_id was no sort an index could serve.
TEST_CASE("ORDER BY a position names the SELECT list's item; with SELECT * it stays a position", "[sql][shape]") {
    auto s = shape_of("SELECT user_id, lower(title) AS t FROM posts ORDER BY 1 DESC, 2 LIMIT 10");
    REQUIRE(s.order_by.size() == 2);
    CHECK(s.order_by[0].column == col(0, "", "user_id"));
    CHECK(s.order_by[0].direction == SortDirection::Desc);
    CHECK(s.order_by[1].column.column.empty());
    CHECK(s.order_by[1].expression == "lower(title)");
    auto star = shape_of("SELECT * FROM posts ORDER BY 1 DESC LIMIT 10");
    REQUIRE(star.order_by.size() == 1);
    CHECK(star.order_by[0].column.column.empty());
    CHECK(star.order_by[0].expression == "1");
    auto beyond = shape_of("SELECT user_id FROM posts ORDER BY 3");
    REQUIRE(beyond.order_by.size() == 1);
    CHECK(beyond.order_by[0].expression == "3");
}

// libpg_query's normalize keeps ORDER BY 1 and GROUP BY 1 as written: they are
// no values, or a statement's parameter sets outnumber its $n (Dexter's
// order_column_number could not be planned live: "bind message supplies 2
// parameters, but prepared statement requires 1").
TEST_CASE("ORDER BY and GROUP BY positions are no literals, as normalize has them", "[sql][shape]") {
    auto s = shape_of("SELECT user_id, count(*) FROM posts WHERE blog_id = 3 GROUP BY 1 ORDER BY 2 DESC LIMIT 5");
    REQUIRE(s.literals.size() == 2);
    CHECK(s.literals[0].value == "3");
    CHECK(s.literals[1].value == "5");
    // A constant inside an ORDER BY expression is still one.
    CHECK(shape_of("SELECT * FROM scores ORDER BY coalesce(points, 0) DESC").literals.size() == 1);
}

TEST_CASE("the functions a statement calls, by name, each once", "[sql][shape]") {
    auto s = shape_of(
        "SELECT lower(name), pg_catalog.now(), count(*) FROM users "
        "WHERE lower(email) = $1 AND id IN (SELECT pg_terminate_backend(pid) FROM pg_stat_activity)");
    CHECK(s.functions == std::vector<std::string>{"lower", "now", "count", "pg_terminate_backend"});
    CHECK(shape_of("SELECT * FROM users WHERE id = 1").functions.empty());
}

TEST_CASE("ORDER BY expression text hides constants", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM scores ORDER BY coalesce(points,  0) * 2 DESC LIMIT 10");
    REQUIRE(s.order_by.size() == 1);
    CHECK(s.order_by[0].expression == "coalesce(points, ?) * ?");
    CHECK(s.order_by[0].direction == SortDirection::Desc);
}

TEST_CASE("GROUP BY columns", "[sql][shape]") {
    auto s = shape_of(
        "SELECT o.customer_id, count(*) FROM orders o GROUP BY o.customer_id, status HAVING count(*) > 5");
    REQUIRE(s.group_by.size() == 2);
    CHECK(s.group_by[0] == col(0, "o", "customer_id"));
    CHECK(s.group_by[1] == col(0, "", "status"));
}

TEST_CASE("LIMIT / OFFSET / FETCH FIRST", "[sql][shape]") {
    auto a = shape_of("SELECT * FROM t LIMIT 10 OFFSET 20");
    CHECK(a.has_limit);
    CHECK(a.has_offset);
    auto b = shape_of("SELECT * FROM t OFFSET 5");
    CHECK_FALSE(b.has_limit);
    CHECK(b.has_offset);
    auto c = shape_of("SELECT * FROM t FETCH FIRST 3 ROWS ONLY");
    CHECK(c.has_limit);
}

TEST_CASE("DISTINCT and DISTINCT ON", "[sql][shape]") {
    auto on = shape_of("SELECT DISTINCT ON (customer_id) * FROM orders ORDER BY customer_id, created_at DESC");
    CHECK(on.distinct);
    CHECK(on.distinct_on);
    REQUIRE(on.order_by.size() == 2);
    CHECK(on.order_by[1].direction == SortDirection::Desc);
    auto plain = shape_of("SELECT DISTINCT country FROM users");
    CHECK(plain.distinct);
    CHECK_FALSE(plain.distinct_on);
    auto none = shape_of("SELECT country FROM users");
    CHECK_FALSE(none.distinct);
}

TEST_CASE("FOR UPDATE and FOR UPDATE SKIP LOCKED", "[sql][shape]") {
    auto a = shape_of("SELECT * FROM accounts WHERE id = $1 FOR UPDATE");
    CHECK(a.for_update);
    auto b = shape_of("SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED");
    CHECK(b.for_update);
    CHECK(b.has_limit);
    CHECK(pred(b, "state").operand == OperandKind::Constant);
    auto c = shape_of("SELECT * FROM accounts WHERE id = $1 FOR SHARE");
    CHECK(c.for_update);
    auto d = shape_of("SELECT * FROM accounts WHERE id = $1");
    CHECK_FALSE(d.for_update);
}

TEST_CASE("window functions and WINDOW clauses", "[sql][shape]") {
    auto a = shape_of("SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC) FROM orders");
    CHECK(a.has_window);
    auto b = shape_of("SELECT sum(x) OVER w FROM t WINDOW w AS (ORDER BY y)");
    CHECK(b.has_window);
    auto c = shape_of("SELECT sum(x) FROM t");
    CHECK_FALSE(c.has_window);
}

// ---- identifiers ---------------------------------------------------------------------

TEST_CASE("quoted and mixed-case identifiers", "[sql][shape]") {
    auto q = shape_of("SELECT \"Id\" FROM \"MyTable\" AS \"T\" WHERE \"T\".\"UserName\" = $1");
    check_table(q, 0, "", "MyTable", "T");
    CHECK(pred(q, "UserName").column == col(0, "T", "UserName"));
    // Unquoted names fold to lower case.
    auto u = shape_of("SELECT * FROM MyTable WHERE UserName = 1");
    check_table(u, 0, "", "mytable", "");
    CHECK(pred(u, "username").column == col(0, "", "username"));
}

TEST_CASE("schema-qualified tables", "[sql][shape]") {
    auto s = shape_of("SELECT * FROM sales.orders o JOIN public.customers c ON c.id = o.customer_id");
    check_table(s, 0, "sales", "orders", "o");
    check_table(s, 1, "public", "customers", "c");
    CHECK(s.tables[0].qualified_name() == "sales.orders");
    REQUIRE(s.joins.size() == 1);
}

// ---- ORM output ----------------------------------------------------------------------

TEST_CASE("Prisma: schema.table.column references and 1=1", "[sql][shape][orm]") {
    const std::string sql =
        "SELECT \"public\".\"User\".\"id\" FROM \"public\".\"User\" WHERE (\"public\".\"User\".\"email\" = $1 "
        "AND 1=1) LIMIT $2 OFFSET $3";
    auto s = shape_of(sql);
    REQUIRE(s.tables.size() == 1);
    check_table(s, 0, "public", "User", "");
    REQUIRE(s.predicates.size() == 1);  // 1=1 has no column
    CHECK(s.predicates[0].column == col(0, "public.User", "email"));
    CHECK(s.predicates[0].param_number == 1);
    CHECK(s.has_limit);
    CHECK(s.has_offset);
    REQUIRE(s.literals.size() == 5);
    CHECK(s.literals[0].kind == LiteralKind::Parameter);
    CHECK(s.literals[1].kind == LiteralKind::Constant);
    CHECK(s.literals[1].value == "1");
    CHECK(s.literals[4].param_number == 3);
    CHECK(s.literals[4].location == at(sql, "$3"));
    CHECK(s.literals[4].length == 2);
}

TEST_CASE("Rails / ActiveRecord with a marginalia comment", "[sql][shape][orm]") {
    auto s = shape_of(
        "SELECT \"orders\".* FROM \"orders\" WHERE \"orders\".\"customer_id\" = $1 ORDER BY \"orders\".\"id\" ASC "
        "LIMIT $2 /*controller:orders,action:index*/");
    check_table(s, 0, "", "orders", "");
    CHECK(pred(s, "customer_id").column == col(0, "orders", "customer_id"));
    REQUIRE(s.order_by.size() == 1);
    CHECK(s.order_by[0].column == col(0, "orders", "id"));
    CHECK(s.order_by[0].direction == SortDirection::Asc);
    CHECK(s.has_limit);
    // Comments do not change the fingerprint.
    auto bare = shape_of(
        "SELECT \"orders\".* FROM \"orders\" WHERE \"orders\".\"customer_id\" = $1 ORDER BY \"orders\".\"id\" ASC "
        "LIMIT $2");
    CHECK(bare.fingerprint == s.fingerprint);
}

TEST_CASE("a leading comment is not part of the statement", "[sql][shape][orm]") {
    const std::string text = "/*application:shop*/ SELECT * FROM carts WHERE id = 7";
    auto all = shape_statements(text);
    REQUIRE(all.size() == 1);
    REQUIRE(all[0].shape);
    CHECK(all[0].shape->offset == text.find("SELECT"));
    CHECK(all[0].shape->text == "SELECT * FROM carts WHERE id = 7");
    REQUIRE(all[0].shape->literals.size() == 1);
    CHECK(all[0].shape->literals[0].location == static_cast<int>(text.find('7') - text.find("SELECT")));
}

TEST_CASE("Django with the values its log shows", "[sql][shape][orm]") {
    const std::string sql =
        "SELECT \"app_order\".\"id\", \"app_order\".\"total\" FROM \"app_order\" INNER JOIN \"app_customer\" ON "
        "(\"app_order\".\"customer_id\" = \"app_customer\".\"id\") WHERE \"app_customer\".\"email\" = "
        "'ann@example.com'";
    auto s = shape_of(sql);
    check_table(s, 0, "", "app_order", "");
    check_table(s, 1, "", "app_customer", "");
    REQUIRE(s.joins.size() == 1);
    CHECK(s.joins[0].left == col(0, "app_order", "customer_id"));
    CHECK(s.joins[0].right == col(1, "app_customer", "id"));
    const auto& email = pred(s, "email");
    CHECK(email.operand == OperandKind::Constant);
    REQUIRE(email.literal_index == 0);
    CHECK(s.literals[0].value == "ann@example.com");
    CHECK(s.literals[0].location == at(sql, "'ann@"));
    CHECK(s.literals[0].length == 17);
}

TEST_CASE("Hibernate with bound values in the log", "[sql][shape][orm]") {
    auto s = shape_of("select o1_0.id,o1_0.total from orders o1_0 where o1_0.customer_id=42");
    check_table(s, 0, "", "orders", "o1_0");
    CHECK(pred(s, "customer_id").column == col(0, "o1_0", "customer_id"));
    CHECK(s.literals.at(0).value == "42");
}

TEST_CASE("Hibernate's ? placeholders do not parse: a structured error", "[sql][shape][orm][error]") {
    auto r = shape_statement("select o1_0.id from orders o1_0 where o1_0.customer_id=?");
    REQUIRE_FALSE(r.shape);
    REQUIRE(r.error);
    CHECK(r.error->message == "syntax error at end of input");
    CHECK(r.error->cursor == 57);
    CHECK(r.error->line == 1);
}

// ---- literal values ------------------------------------------------------------------

TEST_CASE("literal values: negative, float, NULL, boolean, escaped and dollar-quoted strings", "[sql][shape]") {
    const std::string sql =
        "SELECT * FROM t WHERE a = -5 AND b = 1.5 AND c = 'O''Brien' AND d = $$x y$$ AND e = true "
        "AND f IS DISTINCT FROM NULL AND g = 0";
    auto s = shape_of(sql);
    REQUIRE(s.literals.size() == 7);
    CHECK(s.literals[0].value == "-5");
    CHECK(s.literals[0].location == at(sql, "-5"));
    CHECK(s.literals[0].length == 2);
    CHECK(s.literals[1].value == "1.5");
    CHECK(s.literals[2].value == "O'Brien");
    CHECK(s.literals[2].length == 10);
    CHECK(s.literals[3].value == "x y");
    CHECK(s.literals[3].length == 7);
    CHECK(s.literals[4].value == "true");
    CHECK(s.literals[5].is_null);
    CHECK(s.literals[5].length == 4);
    CHECK(s.literals[6].value == "0");
    CHECK(pred(s, "f").op == "IS DISTINCT FROM");
    CHECK(pred(s, "f").cls == PredicateClass::Other);
    CHECK(pred(s, "g").literal_index == 6);
}

TEST_CASE("two calls of one shape differ only in literal values", "[sql][shape]") {
    auto a = shape_of("SELECT * FROM items WHERE cart_id = 17 AND sku = 'A-1'");
    auto b = shape_of("SELECT * FROM items WHERE cart_id = 18 AND sku = 'B-22'");
    CHECK(a.fingerprint == b.fingerprint);
    CHECK(a.normalized == b.normalized);
    REQUIRE(a.literals.size() == 2);
    REQUIRE(b.literals.size() == 2);
    CHECK(a.literals[0].value != b.literals[0].value);
    CHECK(b.literals[1].value == "B-22");
    CHECK(b.literals[1].length == 6);
}

// ---- statement kinds and multi-statement text ---------------------------------------------

TEST_CASE("multi-statement text: offsets, BEGIN/COMMIT kept as TransactionStmt", "[sql][shape]") {
    const std::string text =
        "BEGIN;\nSELECT * FROM accounts WHERE id = 1 FOR UPDATE;\n"
        "UPDATE accounts SET balance = balance - 10 WHERE id = 1;\nCOMMIT;\nROLLBACK";
    auto all = shape_statements(text);
    REQUIRE(all.size() == 5);
    for (const auto& r : all) REQUIRE(r.shape);
    CHECK(all[0].shape->kind == StatementKind::Utility);
    CHECK(all[0].shape->node_type == "TransactionStmt");
    CHECK(all[1].shape->offset == text.find("SELECT"));
    CHECK(all[1].shape->text == "SELECT * FROM accounts WHERE id = 1 FOR UPDATE");
    CHECK(all[1].shape->length == all[1].shape->text.size());
    CHECK(all[2].shape->kind == StatementKind::Update);
    CHECK(all[2].shape->offset == text.find("UPDATE accounts"));
    CHECK(all[3].shape->node_type == "TransactionStmt");
    CHECK(all[4].shape->node_type == "TransactionStmt");
    CHECK(all[0].shape->transaction_kind == "begin");
    CHECK(all[1].shape->transaction_kind.empty());
    CHECK(all[3].shape->transaction_kind == "commit");
    CHECK(all[4].shape->transaction_kind == "rollback");
    CHECK(shape_statement("START TRANSACTION ISOLATION LEVEL SERIALIZABLE").shape->transaction_kind == "start");
    CHECK(shape_statement("ROLLBACK TO SAVEPOINT s1").shape->transaction_kind == "rollback-to");
    CHECK(shape_statement("END").shape->transaction_kind == "commit");
    // Literal locations are relative to the statement's own text.
    CHECK(all[2].shape->literals[0].location == static_cast<int>(all[2].shape->text.find("10")));
}

TEST_CASE("DDL statements", "[sql][shape]") {
    for (const char* sql :
         {"CREATE TABLE t (id bigint PRIMARY KEY, email text NOT NULL)", "CREATE INDEX CONCURRENTLY i ON t (email)",
          "ALTER TABLE t ADD COLUMN created_at timestamptz", "DROP TABLE IF EXISTS t", "TRUNCATE t",
          "CREATE VIEW v AS SELECT 1", "COMMENT ON TABLE t IS 'x'", "CREATE EXTENSION hypopg"}) {
        auto s = shape_of(sql);
        INFO(sql);
        CHECK(s.kind == StatementKind::Ddl);
        CHECK(s.tables.empty());
    }
    CHECK(shape_of("CREATE INDEX i ON t (a)").node_type == "IndexStmt");
}

TEST_CASE("utility statements", "[sql][shape]") {
    for (const char* sql : {"SET statement_timeout = 0", "SHOW work_mem", "EXPLAIN SELECT 1", "VACUUM ANALYZE t",
                            "LISTEN ch", "ALTER SYSTEM SET work_mem = '8MB'", "DEALLOCATE ALL"}) {
        auto s = shape_of(sql);
        INFO(sql);
        CHECK(s.kind == StatementKind::Utility);
    }
    CHECK(shape_of("SET search_path TO public").node_type == "VariableSetStmt");
}

// ---- errors ---------------------------------------------------------------------------

TEST_CASE("a syntax error gives message, cursor and the line in the whole text", "[sql][shape][error]") {
    const std::string text = "SELECT 1;\n\nSELECT *\nFROM t WHERE\nAND x = 1;\nSELECT 2";
    auto all = shape_statements(text);
    REQUIRE(all.size() == 3);
    REQUIRE(all[0].shape);
    REQUIRE(all[1].error);
    CHECK(all[1].error->message == "syntax error at or near \"AND\"");
    CHECK(all[1].error->offset == text.find("SELECT *"));
    CHECK(all[1].error->cursor == 23);
    CHECK(all[1].error->line == 5);
    REQUIRE(all[2].shape);  // the rest is still shaped
    CHECK(all[2].shape->offset == text.rfind("SELECT 2"));
}

TEST_CASE("comment-only text and empty statements yield nothing", "[sql][shape]") {
    CHECK(shape_statements("").empty());
    CHECK(shape_statements("  ;; -- nothing here\n").empty());
    auto r = shape_statement("/* just a comment */");
    CHECK_FALSE(r.shape);
    REQUIRE(r.error);
}

TEST_CASE("the SELECT list's columns, resolved like predicates; * and t.* say so", "[sql][shape]") {
    auto s = shape_of("SELECT id, sum(total) AS t, o.id FROM orders o WHERE customer_id = $1 GROUP BY id");
    CHECK_FALSE(s.select_star);
    CHECK(s.output_columns == std::vector<ColumnRef>{col(0, "", "id"), col(0, "", "total"), col(0, "o", "id")});

    s = shape_of("SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id");
    CHECK(s.output_columns == std::vector<ColumnRef>{col(0, "o", "id"), col(1, "c", "name")});

    // Unqualified in a join: no table without a catalog.
    s = shape_of("SELECT name FROM orders o JOIN customers c ON c.id = o.customer_id");
    REQUIRE(s.output_columns.size() == 1);
    CHECK(s.output_columns[0].table == -1);

    CHECK(shape_of("SELECT * FROM orders WHERE id = 1").select_star);
    CHECK(shape_of("SELECT o.*, 1 FROM orders o").select_star);
    CHECK(shape_of("SELECT * FROM orders WHERE id = 1").output_columns.empty());
    // count(*) reads no column and is no star.
    auto c = shape_of("SELECT count(*) FROM orders WHERE status = 'x'");
    CHECK_FALSE(c.select_star);
    CHECK(c.output_columns.empty());
    // A scalar subquery in the list reads its own table, not the outer one.
    auto sub = shape_of("SELECT id, (SELECT max(x.total) FROM items x) FROM orders");
    CHECK(sub.output_columns == std::vector<ColumnRef>{col(0, "", "id")});
    // Not a SELECT: nothing.
    CHECK(shape_of("UPDATE orders SET total = 1 WHERE id = 2 RETURNING id").output_columns.empty());
}

TEST_CASE("lower(col) with EXPLAIN's cast to text is still a function of the column", "[sql][shape]") {
    auto s = shape_of("SELECT FROM users WHERE (lower((email)::text) = 'a'::text)");
    REQUIRE(s.predicates.size() == 1);
    CHECK(s.predicates[0].column.column == "email");
    CHECK(s.predicates[0].function == "lower");
    CHECK(s.predicates[0].cls == PredicateClass::Equality);
    CHECK(s.predicates[0].operand == OperandKind::Constant);
    // A cast to another type is not the column itself.
    CHECK(shape_of("SELECT FROM users WHERE abs((n)::integer) = 1").predicates.empty());
}

TEST_CASE("the outermost SELECT list's AS names, with the bare column each names", "[sql][shape]") {
    // Sequelize's eager loading: the joined model's columns named "Model.column".
    auto s = shape_of(R"(SELECT "Appointment"."id", "Doctor"."name" AS "Doctor.name", count(*) AS n )"
                      R"(FROM "appointments" AS "Appointment" JOIN "doctors" AS "Doctor" ON "Doctor"."id" = 1)");
    REQUIRE(s.output_aliases.size() == 2);
    CHECK(s.output_aliases[0].alias == "Doctor.name");
    CHECK(s.output_aliases[0].column == col(1, "Doctor", "name"));
    CHECK(s.output_aliases[1].alias == "n");
    CHECK(s.output_aliases[1].column.column.empty());  // an expression, not a column
    // A subquery's list is its own.
    CHECK(shape_of("SELECT id FROM (SELECT id AS x FROM t) AS anon_1").output_aliases.empty());
}

// The workload's aggregator fingerprints each new shape's text, then shapes it
// with that fingerprint (issue 17): the shape must be the one shape_statement
// gives, its fingerprint used only where the statement is all of the text.
TEST_CASE("shape_statement with a known fingerprint gives the same shape", "[sql][shape]") {
    for (const char* text :
         {"SELECT * FROM t WHERE id = 42", "SELECT * FROM t WHERE id = 42;\n", "/* app */ SELECT a FROM t",
          "SELECT 1; SELECT 2", "UPDATE t SET a = 'x' WHERE b IN (1, 2)"}) {
        INFO(text);
        auto fp = fingerprint(text);
        REQUIRE(fp);
        auto plain = shape_statement(text);
        auto known = shape_statement(text, *fp.value);
        REQUIRE(plain.shape);
        REQUIRE(known.shape);
        CHECK(known.shape->fingerprint_hex == plain.shape->fingerprint_hex);
        CHECK(known.shape->fingerprint == plain.shape->fingerprint);
        CHECK(known.shape->normalized == plain.shape->normalized);
        CHECK(known.shape->text == plain.shape->text);
    }
    // A fingerprint of a text with two statements is not the first statement's: not used.
    Fingerprint other{1, "0000000000000001"};
    CHECK(shape_statement("SELECT 1; SELECT 2", other).shape->fingerprint_hex != "0000000000000001");
    CHECK(shape_statement("SELECT 1 ;", other).shape->fingerprint_hex == "0000000000000001");
}
