// Resolution of hand-built QueryShapes against the shop schema. (The shape
// builder lands on another branch; a test from SQL text follows when it does.)
#include <catch2/catch.hpp>

#include "catalog/ddl_loader.hpp"
#include "catalog/plan_relation.hpp"
#include "catalog/resolve.hpp"

#include <algorithm>

using namespace pgadvisor;
using namespace pgadvisor::catalog;

namespace {

const Catalog& shop() {
    static const Catalog c = load_schema_file(PGADVISOR_TEST_FIXTURES "/catalog/shop_schema.sql");
    return c;
}

sql::TableRef table(std::string schema, std::string name, std::string alias = "") {
    sql::TableRef t;
    t.schema = std::move(schema);
    t.name = std::move(name);
    t.alias = std::move(alias);
    return t;
}

sql::Predicate pred(int table, std::string column, std::string qualifier = "") {
    sql::Predicate p;
    p.column = {table, std::move(qualifier), std::move(column)};
    p.cls = sql::PredicateClass::Equality;
    return p;
}

const std::vector<std::string> kPath{"$user", "public"};

}  // namespace

TEST_CASE("tables resolve along search_path and by schema and columns by table index", "[catalog][resolve]") {
    // SELECT ... FROM orders o JOIN billing.invoices i ON i.order_id = o.id WHERE o.customer_id = $1 ORDER BY o.placed_at DESC
    sql::QueryShape s;
    s.kind = sql::StatementKind::Select;
    s.tables = {table("", "orders", "o"), table("billing", "invoices", "i")};
    s.predicates = {pred(0, "customer_id", "o")};
    s.joins = {{{1, "i", "order_id"}, {0, "o", "id"}}};
    sql::OrderItem o;
    o.column = {0, "o", "placed_at"};
    o.direction = sql::SortDirection::Desc;
    s.order_by = {o};
    const auto r = resolve(s, shop(), kPath);
    CHECK(r.notes.empty());
    REQUIRE(r.tables.size() == 2);
    REQUIRE(r.tables[0]);
    CHECK(r.tables[0]->qualified_name() == "public.orders");
    REQUIRE(r.tables[1]);
    CHECK(r.tables[1]->qualified_name() == "billing.invoices");
    REQUIRE(r.columns.size() == 4);
    CHECK(r.columns[0].role == ColumnRole::Predicate);
    REQUIRE(r.columns[0].catalog_column);
    CHECK(r.columns[0].catalog_column->type == "bigint");
    CHECK(r.columns[1].table == r.tables[1]);
    CHECK(r.columns[1].catalog_column->name == "order_id");
    CHECK(r.columns[3].role == ColumnRole::OrderBy);
    CHECK(r.columns[3].catalog_column->type == "timestamp with time zone");
}

TEST_CASE("search_path decides which schema an unqualified name means", "[catalog][resolve]") {
    sql::QueryShape s;
    s.tables = {table("", "invoices")};
    s.predicates = {pred(0, "number")};
    auto r = resolve(s, shop(), kPath);
    CHECK_FALSE(r.tables[0]);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] == "schema mismatch: table invoices is not in the catalog (search_path: $user, public)");
    r = resolve(s, shop(), {"billing", "public"});
    REQUIRE(r.tables[0]);
    CHECK(r.tables[0]->schema == "billing");
    CHECK(r.notes.empty());
}

TEST_CASE("resolve_table: a qualified name by its schema, an unqualified one along the path", "[catalog][resolve]") {
    const Catalog& c = shop();
    REQUIRE(resolve_table(c, "billing", "invoices"));
    CHECK(resolve_table(c, "billing", "invoices")->schema == "billing");
    CHECK_FALSE(resolve_table(c, "public", "invoices"));  // qualified: only that schema, never the path
    CHECK_FALSE(resolve_table(c, "", "invoices", kPath));
    REQUIRE(resolve_table(c, "", "invoices", {"billing", "public"}));
    CHECK(resolve_table(c, "", "invoices", {"billing", "public"})->schema == "billing");
    // Without a path: the catalog's own search_path (public for an offline schema).
    REQUIRE(resolve_table(c, "", "orders"));
    CHECK(resolve_table(c, "", "orders")->schema == "public");
    CHECK_FALSE(resolve_table(c, "", "invoices"));
    CHECK_FALSE(resolve_table(c, "archive", "orders"));
    // What resolve() says about a table reference is what resolve_table gives.
    sql::QueryShape s;
    s.tables = {table("", "orders")};
    CHECK(resolve(s, c, c.search_path).tables[0] == resolve_table(c, "", "orders"));
}

TEST_CASE("unknown tables, schemas and columns are schema-mismatch notes, not failures", "[catalog][resolve]") {
    sql::QueryShape s;
    s.tables = {table("", "customers", "c"), table("archive", "customers_2019"), table("", "orders")};
    s.predicates = {pred(0, "email_address", "c"), pred(1, "id"), pred(2, "ctid")};
    const auto r = resolve(s, shop(), kPath);
    REQUIRE(r.notes.size() == 2);
    CHECK(r.notes[0] == "schema mismatch: schema \"archive\" of table archive.customers_2019 is not in the catalog");
    CHECK(r.notes[1] == "schema mismatch: column email_address is not in table public.customers");
    CHECK(r.tables[0]);
    CHECK_FALSE(r.tables[1]);
    CHECK_FALSE(r.columns[0].catalog_column);
    CHECK_FALSE(r.columns[1].catalog_column);  // its table is unknown: one note for the table is enough
    CHECK_FALSE(r.columns[2].catalog_column);  // a system column: no note
}

TEST_CASE("an unqualified column with table -1 goes to the one table that has it", "[catalog][resolve]") {
    sql::QueryShape s;
    s.tables = {table("", "orders", "o"), table("", "customers", "c")};
    s.predicates = {pred(-1, "email"), pred(-1, "total"), pred(-1, "id"), pred(-1, "nonexistent")};
    const auto r = resolve(s, shop(), kPath);
    REQUIRE(r.columns.size() == 4);
    CHECK(r.columns[0].table_ref == 1);
    CHECK(r.columns[0].catalog_column->type == "character varying(320)");
    CHECK(r.columns[1].table_ref == 0);
    CHECK_FALSE(r.columns[2].catalog_column);  // both tables have id
    CHECK_FALSE(r.columns[3].catalog_column);
    REQUIRE(r.notes.size() == 2);
    CHECK(r.notes[0] == "column id is in more than one table of the statement");
    CHECK(r.notes[1] == "schema mismatch: column nonexistent is in none of the statement's tables");
}

TEST_CASE("ORDER BY an output alias and CTE columns are not reported", "[catalog][resolve]") {
    sql::QueryShape s;
    s.tables = {table("", "orders")};
    sql::OrderItem o;
    o.column = {-1, "", "n"};  // SELECT count(*) AS n ... ORDER BY n
    s.order_by = {o};
    s.group_by = {{-1, "", "customer_id"}};
    auto r = resolve(s, shop(), kPath);
    CHECK(r.notes.empty());
    CHECK(r.columns[1].catalog_column);

    s.cte_names = {"recent"};
    s.predicates = {pred(-1, "recent_total")};
    r = resolve(s, shop(), kPath);
    CHECK(r.notes.empty());
}

TEST_CASE("INSERT and UPDATE SET columns resolve on the written table", "[catalog][resolve]") {
    sql::QueryShape s;
    s.kind = sql::StatementKind::Insert;
    auto t = table("", "order_items");
    t.written = true;
    s.tables = {t};
    sql::InsertInfo ins;
    ins.table = 0;
    ins.columns = {"order_id", "line_no", "qty"};
    s.insert = ins;
    s.set_columns = {"quantity"};
    const auto r = resolve(s, shop(), kPath);
    REQUIRE(r.columns.size() == 4);
    CHECK(r.columns[0].catalog_column);
    CHECK(r.columns[1].catalog_column->type == "smallint");
    CHECK_FALSE(r.columns[2].catalog_column);
    CHECK(r.columns[3].role == ColumnRole::Set);
    CHECK(r.columns[3].catalog_column);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] == "schema mismatch: column qty is not in table public.order_items");
}

#include "sql/shape.hpp"

TEST_CASE("from SQL text: the shape builder's QueryShape resolves against the shop schema", "[catalog][resolve][sql]") {
    auto r1 = sql::shape_statement(
        "SELECT o.id, i.number FROM orders o JOIN billing.invoices i ON i.order_id = o.id "
        "WHERE o.customer_id = $1 AND o.status = 'paid' ORDER BY o.placed_at DESC LIMIT 20");
    REQUIRE(r1.shape);
    auto r = resolve(*r1.shape, shop(), kPath);
    CHECK(r.notes.empty());
    REQUIRE(r.tables.size() == 2);
    CHECK(r.tables[0] == shop().find_table("public", "orders"));
    CHECK(r.tables[1] == shop().find_table("billing", "invoices"));
    std::vector<std::string> resolved;
    for (const auto& c : r.columns)
        resolved.push_back(std::string(to_string(c.role)) + " " + (c.table ? c.table->name : "?") + "." +
                           (c.catalog_column ? c.catalog_column->name : "?"));
    CHECK(std::find(resolved.begin(), resolved.end(), "predicate orders.customer_id") != resolved.end());
    CHECK(std::find(resolved.begin(), resolved.end(), "predicate orders.status") != resolved.end());
    CHECK(std::find(resolved.begin(), resolved.end(), "join invoices.order_id") != resolved.end());
    CHECK(std::find(resolved.begin(), resolved.end(), "join orders.id") != resolved.end());
    CHECK(std::find(resolved.begin(), resolved.end(), "order by orders.placed_at") != resolved.end());
    for (const auto& c : resolved) CHECK(c.find('?') == std::string::npos);

    // The same statement written against an older schema: a mismatch note, not a failure.
    auto r2 = sql::shape_statement("SELECT * FROM customers WHERE email_address = $1 AND country = 'DE'");
    REQUIRE(r2.shape);
    r = resolve(*r2.shape, shop(), kPath);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].find("email_address") != std::string::npos);
    CHECK(r.notes[0].rfind("schema mismatch", 0) == 0);

    auto r3 = sql::shape_statement(
        "INSERT INTO \"Audit\".\"EventLog\" (\"EventType\", \"OccurredAt\") VALUES ($1, now())");
    REQUIRE(r3.shape);
    r = resolve(*r3.shape, shop(), kPath);
    CHECK(r.notes.empty());
    REQUIRE(r.tables.size() == 1);
    CHECK(r.tables[0] == shop().find_table("Audit", "EventLog"));
    REQUIRE(r.columns.size() == 2);
    CHECK(r.columns[0].catalog_column->type == "text");
}

// A plan names a table as stored, its schema only under VERBOSE; it maps back
// to the planned statement's own tables, never to search_path's table of that
// name (issue 13, class 5: s2.orders planned, public.orders got the index).
TEST_CASE("a plan's relation is one of the statement's own tables", "[catalog][resolve]") {
    Catalog cat;
    apply_ddl(cat,
              "CREATE TABLE orders (id int, cust int);"
              "CREATE SCHEMA s2; CREATE TABLE s2.orders (id int, cust int);"
              "CREATE TABLE s2.orders_p1 (id int, cust int); CREATE TABLE orders_p1 (id int, cust int);"
              "CREATE TABLE s2.lonely (id int);",
              "test.sql");
    REQUIRE(cat.find_table("public", "orders"));
    const Table* s2_orders = cat.find_table("s2", "orders");
    REQUIRE(s2_orders);
    sql::QueryShape shape;
    shape.tables = {table("s2", "orders")};
    const Resolution res = resolve(shape, cat, cat.search_path);
    REQUIRE(res.tables.size() == 1);
    REQUIRE(res.tables[0] == s2_orders);

    // No schema in the plan (EXPLAIN without VERBOSE, an auto_explain plan): the statement's s2.orders.
    CHECK(resolve_plan_relation(cat, &shape, &res, "", "orders", "orders") == s2_orders);
    CHECK(resolve_plan_relation(cat, &shape, &res, "s2", "orders", "orders") == s2_orders);
    // A table the statement does not name: a partition beside it, else the plan's schema, else the only one.
    CHECK(resolve_plan_relation(cat, &shape, &res, "", "orders_p1", "orders_p1") == cat.find_table("s2", "orders_p1"));
    CHECK(resolve_plan_relation(cat, &shape, &res, "public", "orders_p1", "orders_p1") ==
          cat.find_table("public", "orders_p1"));
    CHECK(resolve_plan_relation(cat, &shape, &res, "", "lonely", "lonely") == cat.find_table("s2", "lonely"));
    // Without a statement (a standalone EXPLAIN file) the plan's names are all there is.
    CHECK(resolve_plan_relation(cat, nullptr, nullptr, "", "orders", "orders") == cat.find_table("public", "orders"));

    // Both tables in one statement: the alias tells them apart; nothing when it does not.
    sql::QueryShape both;
    both.tables = {table("s2", "orders", "a"), table("public", "orders", "b")};
    const Resolution res2 = resolve(both, cat, cat.search_path);
    CHECK(resolve_plan_relation(cat, &both, &res2, "", "orders", "a") == s2_orders);
    CHECK(resolve_plan_relation(cat, &both, &res2, "", "orders", "b") == cat.find_table("public", "orders"));
    CHECK(resolve_plan_relation(cat, &both, &res2, "", "orders", "orders") == nullptr);
    CHECK(resolve_plan_relation(cat, &both, &res2, "public", "orders", "orders") == cat.find_table("public", "orders"));
}
