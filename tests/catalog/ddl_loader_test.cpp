// The offline catalog from DDL: the shop fixture, pg_dump's idioms, errors with file:line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../sql/deep_inputs.hpp"
#include "catalog/ddl_loader.hpp"

using namespace pgadvisor::catalog;

namespace {

const std::string kFixtures = PGADVISOR_TEST_FIXTURES "/catalog/";

Catalog from_text(const std::string& ddl) {
    Catalog c;
    c.search_path = {"$user", "public"};
    c.schemas = {"public"};
    apply_ddl(c, ddl, "test.sql");
    return c;
}

const Constraint* constraint(const Table& t, const std::string& name) {
    for (const auto& c : t.constraints)
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace

TEST_CASE("the shop schema loads offline with every table, column, index and constraint", "[catalog][offline]") {
    const auto cat = load_schema_file(kFixtures + "shop_schema.sql");
    INFO(cat.errors.size() << " errors; first: " << (cat.errors.empty() ? "" : cat.errors[0].message));
    REQUIRE(cat.errors.empty());
    CHECK(cat.tables.size() == 26);  // 27 CREATE TABLE, one dropped again
    CHECK(cat.has_schema("Audit"));
    CHECK(cat.has_schema("billing"));
    CHECK_FALSE(cat.find_table("public", "scratch"));
    CHECK_FALSE(cat.find_index("public", "scratch_id_idx"));

    const Table* customers = cat.find_table("public", "customers");
    REQUIRE(customers);
    REQUIRE(customers->columns.size() == 7);
    CHECK(customers->columns[0].name == "id");
    CHECK(customers->columns[0].type == "bigint");
    CHECK(customers->columns[0].not_null);
    CHECK(customers->columns[0].default_expr == "nextval('customers_id_seq')");
    CHECK(customers->columns[1].type == "character varying(320)");
    CHECK(customers->columns[3].type == "character(2)");
    CHECK_FALSE(customers->columns[3].not_null);
    CHECK(customers->columns[4].type == "timestamp with time zone");
    CHECK(customers->columns[4].default_expr == "now()");
    CHECK(customers->columns[6].type == "boolean");
    CHECK(customers->rows_source == RowsSource::Default);
    CHECK(customers->estimated_rows == 1000);

    // Generated names follow PostgreSQL's rules.
    CHECK(constraint(*customers, "customers_pkey"));
    const Index* by_country = cat.find_index("public", "customers_country_created_at_idx");
    REQUIRE(by_country);
    REQUIRE(by_country->keys.size() == 2);
    CHECK(by_country->keys[0] == IndexKey{"country", "", false, false});
    CHECK(by_country->keys[1] == IndexKey{"created_at", "", true, true});  // DESC implies NULLS FIRST

    const Index* email = cat.find_index("public", "customers_email_lower_key");
    REQUIRE(email);
    CHECK(email->unique);
    REQUIRE(email->keys.size() == 1);
    CHECK(email->keys[0].column.empty());
    CHECK(email->keys[0].expression == "lower(email)");

    const Index* active = cat.find_index("public", "customers_active_idx");
    REQUIRE(active);
    CHECK(active->predicate == "(deleted_at IS NULL)");

    const Index* open = cat.find_index("public", "orders_open_idx");
    REQUIRE(open);
    CHECK(open->predicate == "(status = ANY(ARRAY['new', 'paid']))");
    const Index* day = cat.find_index("public", "orders_placed_day_idx");
    REQUIRE(day);
    CHECK(day->keys[0].expression == "timezone('UTC', placed_at)::date");

    const Index* stock = cat.find_index("inventory", "stock_low_idx");
    REQUIRE(stock);
    CHECK(stock->include == std::vector<std::string>{"reserved"});
    CHECK(stock->predicate == "(quantity < 10)");
    const Index* tags = cat.find_index("inventory", "products_tags_idx");
    REQUIRE(tags);
    CHECK(tags->method == "gin");
    const Index* reviews = cat.find_index("public", "reviews_product_rating_idx");
    REQUIRE(reviews);
    CHECK(reviews->predicate == "((rating >= 1) AND (rating <= 2))");

    // Foreign keys with implicit referenced columns resolve to the primary key.
    const Table* items = cat.find_table("public", "order_items");
    REQUIRE(items);
    const Constraint* fk = constraint(*items, "order_items_order_id_fkey");
    REQUIRE(fk);
    CHECK(fk->kind == ConstraintKind::ForeignKey);
    CHECK(fk->columns == std::vector<std::string>{"order_id"});
    CHECK(fk->ref_schema == "public");
    CHECK(fk->ref_table == "orders");
    CHECK(fk->ref_columns == std::vector<std::string>{"id"});
    const Constraint* pk = constraint(*items, "order_items_pkey");
    REQUIRE(pk);
    CHECK(pk->columns == std::vector<std::string>{"order_id", "line_no"});

    const Table* categories = cat.find_table("inventory", "categories");
    REQUIRE(categories);
    const Constraint* self = constraint(*categories, "categories_parent_id_fkey");
    REQUIRE(self);
    CHECK(self->ref_table == "categories");
    CHECK(self->ref_schema == "inventory");
    CHECK(constraint(*categories, "categories_slug_key"));
    CHECK(cat.find_index("inventory", "categories_slug_key"));

    // Quoted mixed-case names are kept as written.
    const Table* events = cat.find_table("Audit", "EventLog");
    REQUIRE(events);
    CHECK(events->columns[0].name == "Id");
    CHECK(cat.find_index("Audit", "EventLog_CustomerId_idx"));
    const Index* failed = cat.find_index("Audit", "LoginAttempts_failed");
    REQUIRE(failed);
    CHECK(failed->keys[0].expression == "lower(\"userEmail\")");
    CHECK(failed->predicate == "(NOT succeeded)");

    // ALTER TABLE: added, dropped, retyped columns, added constraints.
    const Table* shipments = cat.find_table("public", "shipments");
    REQUIRE(shipments);
    CHECK(shipments->columns.size() == 6);
    CHECK_FALSE(shipments->column("obsolete"));
    REQUIRE(shipments->column("carrier"));
    CHECK(shipments->column("carrier")->type == "character varying(32)");
    CHECK(constraint(*shipments, "shipments_order_fk"));
    CHECK(constraint(*cat.find_table("public", "wishlists"), "wishlists_pkey"));

    // Identity columns are NOT NULL.
    CHECK(cat.find_table("inventory", "products")->columns[0].not_null);
    CHECK(cat.find_table("public", "carts")->column("updated_at")->type == "timestamp(3) without time zone");
    CHECK(cat.find_table("inventory", "products")->column("tags")->type == "text[]");

    // Renames follow through to index names, keys and the table.
    CHECK_FALSE(cat.find_table("public", "product_views_old"));
    const Index* pvc = cat.find_index("public", "product_view_counts_product_idx");
    REQUIRE(pvc);
    CHECK(pvc->table == "product_view_counts");
    CHECK(pvc->keys[1].column == "view_count");

    // Partitions copy the parent's columns.
    const Table* pv = cat.find_table("public", "page_views_2025");
    REQUIRE(pv);
    CHECK(pv->partition_of == "public.page_views");
    CHECK(pv->columns.size() == 3);
    CHECK(cat.find_table("public", "page_views")->partitioned);
    // Each partition gets its copy of the parent's indexes and keys, named from the partition,
    // whether it existed before (2024, 2025), was created after (none) or was attached (2026).
    for (const std::string p : {"page_views_2024", "page_views_2025", "page_views_2026"}) {
        INFO(p);
        const Index* by_customer = cat.find_index("public", p + "_customer_id_viewed_at_idx");
        REQUIRE(by_customer);
        CHECK(by_customer->keys[1] == IndexKey{"viewed_at", "", true, true});
        CHECK(cat.find_index("public", p + "_lower_idx"));
        const Index* pkey = cat.find_index("public", p + "_pkey");
        REQUIRE(pkey);
        CHECK(pkey->primary);
        CHECK(constraint(*cat.find_table("public", p), p + "_pkey"));
    }
    CHECK(cat.find_index("public", "page_views_pkey"));

    CHECK(cat.statements_passed_over >= 3);  // CREATE TYPE, COMMENT, GRANT
}

TEST_CASE("a statement that does not parse is reported with file and line and the rest is read", "[catalog][offline]") {
    const auto cat = load_schema_file(kFixtures + "broken.sql");
    REQUIRE(cat.errors.size() == 3);
    CHECK(cat.errors[0].file == kFixtures + "broken.sql");
    CHECK(cat.errors[0].line == 3);
    CHECK(cat.errors[0].message.find("syntax error") != std::string::npos);
    CHECK(cat.errors[1].line == 9);
    CHECK(cat.errors[1].message.find("missing_table") != std::string::npos);
    CHECK(cat.errors[2].line == 10);
    CHECK(cat.find_table("public", "good_one"));
    CHECK(cat.find_table("public", "good_two"));
    CHECK_FALSE(cat.find_table("public", "typo"));
    CHECK(cat.find_index("public", "good_two_one_idx"));
}

TEST_CASE("a DEFAULT or CHECK nested too deeply is an error at its line and the rest loads", "[catalog][offline]") {
    // issue 16: 12,000 terms overflowed the stack in the DDL loader's walks.
    const std::string chain = pgadvisor::test::repeated("+1", pgadvisor::test::kDeepTerms);
    const auto c = from_text("CREATE TABLE a (id int);\nCREATE TABLE deep_default (id int DEFAULT 1" + chain +
                             ");\nCREATE TABLE deep_check (x int CHECK (x > 1" + chain +
                             "));\nCREATE TABLE b (id int);\n");
    REQUIRE(c.errors.size() == 2);
    CHECK(c.errors[0].line == 2);
    CHECK(c.errors[0].message.find("nested too deeply") != std::string::npos);
    CHECK(c.errors[1].line == 3);
    CHECK(c.find_table("public", "a"));
    CHECK(c.find_table("public", "b"));
    CHECK_FALSE(c.find_table("public", "deep_default"));
}

TEST_CASE("an unreadable file is an error, not a crash", "[catalog][offline]") {
    const auto cat = load_schema_file(kFixtures + "no_such_file.sql");
    REQUIRE(cat.errors.size() == 1);
    CHECK(cat.errors[0].message.find("cannot read") != std::string::npos);
    CHECK(cat.tables.empty());
}

TEST_CASE("pg_dump idioms: empty search_path, ALTER TABLE ONLY, sequences, OWNER, ATTACH PARTITION",
          "[catalog][offline]") {
    const auto cat = from_text(R"(
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE SCHEMA app;
ALTER SCHEMA app OWNER TO admin;
CREATE TABLE app.users (id integer NOT NULL, email character varying(100), parent_id integer);
ALTER TABLE app.users OWNER TO admin;
CREATE SEQUENCE app.users_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER SEQUENCE app.users_id_seq OWNED BY app.users.id;
ALTER TABLE ONLY app.users ALTER COLUMN id SET DEFAULT nextval('app.users_id_seq'::regclass);
CREATE TABLE app.events (at timestamp with time zone NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE app.events_2025 (at timestamp with time zone NOT NULL);
ALTER TABLE ONLY app.events ATTACH PARTITION app.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE ONLY app.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX users_email_key ON app.users USING btree (lower((email)::text));
ALTER TABLE ONLY app.users ADD CONSTRAINT users_parent_fk FOREIGN KEY (parent_id) REFERENCES app.users(id);
COMMENT ON TABLE app.users IS 'x';
CREATE TABLE unqualified (id int);
)");
    REQUIRE(cat.errors.size() == 1);  // the unqualified table: search_path is empty, as in PostgreSQL
    CHECK(cat.errors[0].line == 18);
    CHECK(cat.errors[0].message.find("search_path is empty") != std::string::npos);
    const Table* users = cat.find_table("app", "users");
    REQUIRE(users);
    CHECK(users->columns[0].default_expr == "nextval('app.users_id_seq')");
    CHECK(users->columns[1].type == "character varying(100)");
    REQUIRE(users->constraints.size() == 2);
    CHECK(users->constraints[0].kind == ConstraintKind::PrimaryKey);
    CHECK(users->constraints[1].ref_columns == std::vector<std::string>{"id"});
    CHECK(cat.find_table("app", "events_2025")->partition_of == "app.events");
    CHECK(cat.search_path.empty());
    REQUIRE(cat.find_index("app", "users_email_key"));
    CHECK(cat.find_index("app", "users_email_key")->keys[0].expression == "lower(email)");
    CHECK(cat.statements_passed_over == 6);  // SET timeout, OWNER x2, CREATE/ALTER SEQUENCE, COMMENT
}

TEST_CASE("SET search_path decides where unqualified tables go and are found", "[catalog][offline]") {
    const auto cat = from_text(R"(
CREATE SCHEMA app;
SET search_path = app, public;
CREATE TABLE t (id int PRIMARY KEY);
CREATE INDEX ON t (id DESC NULLS LAST);
SET search_path TO public;
CREATE TABLE t (x int);
)");
    REQUIRE(cat.errors.empty());
    CHECK(cat.find_table("app", "t"));
    CHECK(cat.find_table("public", "t"));
    const Index* i = cat.find_index("app", "t_id_idx");
    REQUIRE(i);
    CHECK(i->keys[0] == IndexKey{"id", "", true, false});
}

TEST_CASE("generated names avoid collisions and are truncated to 63 bytes", "[catalog][offline]") {
    const auto cat = from_text(R"(
CREATE TABLE a_table_with_a_really_quite_long_name_for_testing_truncation (a_column_with_a_long_name_too int, b int);
CREATE INDEX ON a_table_with_a_really_quite_long_name_for_testing_truncation (a_column_with_a_long_name_too);
CREATE TABLE t (a int, b int);
CREATE INDEX ON t (a);
CREATE INDEX ON t (a);
CREATE INDEX ON t (lower(a::text), lower(b::text));
CREATE INDEX ON t ((a + b));
)");
    REQUIRE(cat.errors.empty());
    // makeObjectName() trims the longer part first: 63 bytes exactly.
    CHECK(cat.find_index("public", "a_table_with_a_really_quite_l_a_column_with_a_long_name_too_idx"));
    CHECK(cat.find_index("public", "t_a_idx"));
    CHECK(cat.find_index("public", "t_a_idx1"));
    CHECK(cat.find_index("public", "t_lower_lower1_idx"));
    CHECK(cat.find_index("public", "t_expr_idx"));
}

TEST_CASE("DROP and RENAME keep the catalog consistent and unknown objects are errors", "[catalog][offline]") {
    const auto cat = from_text(R"(
CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE c (id int, p_id int REFERENCES p, note text);
CREATE INDEX c_note_idx ON c (note);
ALTER TABLE c DROP COLUMN note;
ALTER TABLE p RENAME COLUMN id TO pid;
ALTER TABLE p RENAME CONSTRAINT p_code_key TO p_code_unique;
ALTER TABLE p DROP CONSTRAINT p_code_unique;
DROP INDEX missing_idx;
DROP INDEX IF EXISTS missing_idx;
ALTER TABLE c ALTER COLUMN p_id SET NOT NULL;
DROP TABLE p CASCADE;
)");
    REQUIRE(cat.errors.size() == 1);
    CHECK(cat.errors[0].line == 9);
    CHECK(cat.errors[0].message.find("missing_idx") != std::string::npos);
    CHECK_FALSE(cat.find_index("public", "c_note_idx"));  // went with its column
    CHECK_FALSE(cat.find_index("public", "p_code_key"));
    CHECK_FALSE(cat.find_index("public", "p_pkey"));  // went with its table
    const Table* c = cat.find_table("public", "c");
    REQUIRE(c);
    CHECK(c->constraints.empty());  // the FK went with p
    CHECK(c->column("p_id")->not_null);
}

TEST_CASE("assume-rows sets offline row counts and says which are assumed", "[catalog][offline]") {
    OfflineOptions o;
    o.assume_rows = {{"orders", 5e6}, {"billing.invoices", 2e6}, {"nope", 1}};
    o.default_rows = 500;
    const auto cat = load_schema_file(kFixtures + "shop_schema.sql", o);
    CHECK(cat.find_table("public", "orders")->estimated_rows == 5e6);
    CHECK(cat.find_table("public", "orders")->rows_source == RowsSource::Assumed);
    CHECK(cat.find_table("billing", "invoices")->estimated_rows == 2e6);
    CHECK(cat.find_table("public", "customers")->estimated_rows == 500);
    CHECK(cat.find_table("public", "customers")->rows_source == RowsSource::Default);
    REQUIRE(cat.notes.size() == 2);
    CHECK(cat.notes[0].find("nope") != std::string::npos);
    CHECK(cat.notes[1].find("24 table(s) assumed to have 500 rows") != std::string::npos);
}

TEST_CASE("a pg_dump file's empty search_path stays in its own session: its tables are found on the default path",
          "[catalog][offline]") {
    const std::string path = (std::filesystem::temp_directory_path() / "pgadvisor_dump_search_path.sql").string();
    std::ofstream(path) << "SELECT pg_catalog.set_config('search_path', '', false);\n"
                           "CREATE TABLE public.products (id bigint NOT NULL, sku text);\n"
                           "ALTER TABLE ONLY public.products ADD CONSTRAINT products_pkey PRIMARY KEY (id);\n";
    const auto cat = load_schema_file(path);
    std::filesystem::remove(path);
    REQUIRE(cat.errors.empty());
    CHECK(cat.search_path == std::vector<std::string>{"$user", "public"});
    const Table* t = cat.find_table_on_path("products", cat.search_path);
    REQUIRE(t);
    CHECK(t->schema == "public");
    CHECK(cat.indexes_of(*t).size() == 1);
}

TEST_CASE("CREATE TABLE's columns: duplicates refused, inherited and LIKE columns once, inline clauses on their column",
          "[catalog][offline]") {
    // The loader looks a new table's columns up in a map while it builds it (issue 16,
    // "Time": a walk per column made 100,000 columns take a minute); these are the lookups.
    auto dup = from_text("CREATE TABLE d (a int, b int, a text);\nCREATE TABLE ok (x int);\n");
    REQUIRE(dup.errors.size() == 1);
    CHECK(dup.errors[0].message == "column \"a\" specified more than once");
    CHECK(dup.errors[0].line == 1);
    CHECK(dup.find_table("public", "ok"));

    auto cat = from_text(
        "CREATE TABLE p (id int, a int);\n"
        "CREATE TABLE q (a int, z int);\n"
        "CREATE TABLE child (b int NOT NULL DEFAULT 7, c int PRIMARY KEY, d int UNIQUE) INHERITS (p, q);\n"
        "CREATE TABLE copy (LIKE child, e int, UNIQUE (e, b));\n"
        "CREATE TABLE parted (id int, v int) PARTITION BY RANGE (id);\n"
        "CREATE TABLE part1 PARTITION OF parted (v NOT NULL) FOR VALUES FROM (0) TO (10);\n");
    CHECK(cat.errors.empty());
    const Table* child = cat.find_table("public", "child");
    REQUIRE(child);
    std::vector<std::string> names;
    for (const auto& c : child->columns) names.push_back(c.name);
    CHECK(names == std::vector<std::string>{"id", "a", "z", "b", "c", "d"});
    CHECK(child->column("b")->not_null);
    CHECK(child->column("b")->default_expr == "7");
    CHECK(child->column("c")->not_null);
    CHECK_FALSE(child->column("d")->not_null);
    const Table* copy = cat.find_table("public", "copy");
    REQUIRE(copy);
    CHECK(copy->columns.size() == 7);
    CHECK(copy->columns.back().name == "e");
    const Table* part = cat.find_table("public", "part1");
    REQUIRE(part);
    CHECK(part->columns.size() == 2);
    CHECK(part->column("v")->not_null);
}
