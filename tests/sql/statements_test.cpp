// The typed reader over libpg_query's tree (sql/statements.hpp): what the
// catalog applies and the migration rules check, as plain structs.
#include <catch2/catch.hpp>

#include <variant>

#include "sql/statements.hpp"

using namespace pgadvisor::sql;

namespace {

// The one statement of sql, as type T (fails the test when it is another).
template <typename T>
T one(const std::string& sql) {
    auto r = read_statements(sql);
    REQUIRE(r);
    REQUIRE(r.value->size() == 1);
    const T* s = std::get_if<T>(&r.value->front());
    REQUIRE(s != nullptr);
    return *s;
}

}  // namespace

TEST_CASE("read_statements gives the parse error, and OtherStatement for what it does not read", "[sql][statements]") {
    auto bad = read_statements("CREATE TABLE (");
    REQUIRE_FALSE(bad);
    REQUIRE(bad.error);
    CHECK(bad.error->cursor > 0);
    one<OtherStatement>("GRANT SELECT ON t TO app");
    one<OtherStatement>("SET work_mem = '64MB'");
    one<OtherStatement>("SELECT 1");
    auto two = read_statements("SELECT 1; CREATE INDEX ON t (a)");
    REQUIRE(two);
    REQUIRE(two.value->size() == 2);
    CHECK(std::holds_alternative<CreateIndex>((*two.value)[1]));
}

TEST_CASE("CREATE INDEX: relation, flags, keys with their order and derived names, INCLUDE, predicate",
          "[sql][statements]") {
    const std::string sql =
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON ONLY app.orders USING hash "
        "(customer_id, lower(email) DESC, (created_at::date) NULLS FIRST, (a + b) DESC NULLS LAST) "
        "INCLUDE (total) WHERE status = 'paid'";
    const auto ix = one<CreateIndex>(sql);
    CHECK(ix.relation.schema == "app");
    CHECK(ix.relation.name == "orders");
    CHECK(ix.relation.only);
    CHECK(sql.substr(static_cast<std::size_t>(ix.relation.location), 10) == "app.orders");
    CHECK(ix.name == "ix");
    CHECK(ix.method == "hash");
    CHECK(ix.unique);
    CHECK_FALSE(ix.primary);
    CHECK(ix.concurrent);
    CHECK(ix.if_not_exists);
    REQUIRE(ix.keys.size() == 4);
    CHECK(ix.keys[0].column == "customer_id");
    CHECK(ix.keys[0].expression.empty());
    CHECK(ix.keys[0].name_hint == "customer_id");
    CHECK_FALSE(ix.keys[0].descending);
    CHECK_FALSE(ix.keys[0].nulls_first);
    CHECK(ix.keys[1].column.empty());
    CHECK(ix.keys[1].expression == "lower(email)");
    CHECK(ix.keys[1].name_hint == "lower");
    CHECK(ix.keys[1].descending);
    CHECK(ix.keys[1].nulls_first);  // DESC sorts NULLs first unless told otherwise
    CHECK(ix.keys[2].expression == "created_at::date");
    CHECK(ix.keys[2].name_hint == "created_at");
    CHECK(ix.keys[2].nulls_first);
    CHECK(ix.keys[3].name_hint == "expr");
    CHECK(ix.keys[3].descending);
    CHECK_FALSE(ix.keys[3].nulls_first);
    CHECK(ix.include == std::vector<std::string>{"total"});
    CHECK(ix.predicate == "(status = 'paid')");

    const auto plain = one<CreateIndex>("CREATE INDEX ON orders (id)");
    CHECK(plain.name.empty());
    CHECK(plain.method == "btree");
    CHECK_FALSE(plain.relation.only);
    CHECK_FALSE(plain.concurrent);
    CHECK(plain.predicate.empty());
}

TEST_CASE("CREATE TABLE: columns with canonical types and clauses, constraints, LIKE, parents", "[sql][statements]") {
    const auto t = one<CreateTable>(
        "CREATE TABLE IF NOT EXISTS s.orders ("
        "  id bigserial PRIMARY KEY,"
        "  customer_id int4 NOT NULL REFERENCES customers (id),"
        "  email varchar(200) DEFAULT 'x',"
        "  LIKE templ,"
        "  UNIQUE (customer_id, email) INCLUDE (id),"
        "  CONSTRAINT fk FOREIGN KEY (email) REFERENCES other.people"
        ") PARTITION BY RANGE (id)");
    CHECK(t.relation.schema == "s");
    CHECK(t.if_not_exists);
    CHECK(t.partitioned);
    CHECK_FALSE(t.partition_bound);
    REQUIRE(t.elements.size() == 6);
    const auto& id = std::get<ColumnDefinition>(t.elements[0]);
    CHECK(id.name == "id");
    CHECK(id.type == "bigint");
    CHECK(id.type_name == "bigserial");
    REQUIRE(id.constraints.size() == 1);
    CHECK(id.constraints[0].type == ConstraintType::PrimaryKey);
    const auto& customer = std::get<ColumnDefinition>(t.elements[1]);
    CHECK(customer.type == "integer");
    REQUIRE(customer.constraints.size() == 2);
    CHECK(customer.constraints[0].type == ConstraintType::NotNull);
    CHECK(customer.constraints[1].type == ConstraintType::ForeignKey);
    CHECK(customer.constraints[1].references.name == "customers");
    CHECK(customer.constraints[1].ref_columns == std::vector<std::string>{"id"});
    const auto& email = std::get<ColumnDefinition>(t.elements[2]);
    CHECK(email.type == "character varying(200)");
    REQUIRE(email.constraints.size() == 1);
    CHECK(email.constraints[0].type == ConstraintType::Default);
    CHECK(email.constraints[0].default_expr == "'x'");
    CHECK(std::get<LikeClause>(t.elements[3]).relation.name == "templ");
    const auto& unique = std::get<Constraint>(t.elements[4]);
    CHECK(unique.type == ConstraintType::Unique);
    CHECK(unique.keys == std::vector<std::string>{"customer_id", "email"});
    CHECK(unique.include == std::vector<std::string>{"id"});
    const auto& fk = std::get<Constraint>(t.elements[5]);
    CHECK(fk.name == "fk");
    CHECK(fk.fk_columns == std::vector<std::string>{"email"});
    CHECK(fk.references.schema == "other");
    CHECK(fk.references.name == "people");
    CHECK(fk.ref_columns.empty());

    const auto part = one<CreateTable>("CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM (1) TO (10)");
    CHECK(part.partition_bound);
    REQUIRE(part.parents.size() == 1);
    CHECK(part.parents[0].name == "orders");
    const auto child = one<CreateTable>("CREATE TABLE child (x int) INHERITS (parent)");
    REQUIRE(child.parents.size() == 1);
    CHECK(child.parents[0].name == "parent");
    CHECK_FALSE(child.partition_bound);
}

TEST_CASE("ALTER TABLE: each command's action and what it names", "[sql][statements]") {
    const auto a = one<AlterTable>(
        "ALTER TABLE ONLY orders ADD COLUMN IF NOT EXISTS note text, DROP COLUMN IF EXISTS old, "
        "ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX ix, DROP CONSTRAINT c, ALTER COLUMN a SET NOT NULL, "
        "ALTER COLUMN b DROP NOT NULL, ALTER COLUMN c TYPE int8, ALTER COLUMN d SET DEFAULT now(), "
        "ALTER COLUMN e DROP DEFAULT, OWNER TO app");
    CHECK(a.on_table);
    CHECK(a.relation.only);
    using A = AlterTableAction;
    REQUIRE(a.commands.size() == 10);
    CHECK(a.commands[0].action == A::AddColumn);
    CHECK(a.commands[0].column.name == "note");
    CHECK(a.commands[0].column.type == "text");
    CHECK(a.commands[0].missing_ok);
    CHECK(a.commands[1].action == A::DropColumn);
    CHECK(a.commands[1].name == "old");
    CHECK(a.commands[1].missing_ok);
    CHECK(a.commands[2].action == A::AddConstraint);
    CHECK(a.commands[2].constraint.type == ConstraintType::PrimaryKey);
    CHECK(a.commands[2].constraint.using_index == "ix");
    CHECK(a.commands[2].constraint.name == "orders_pkey");
    CHECK(a.commands[3].action == A::DropConstraint);
    CHECK(a.commands[4].action == A::SetNotNull);
    CHECK(a.commands[5].action == A::DropNotNull);
    CHECK(a.commands[6].action == A::AlterColumnType);
    CHECK(a.commands[6].column.type == "bigint");
    CHECK(a.commands[7].action == A::ColumnDefault);
    CHECK(a.commands[7].default_expr == "now()");
    CHECK(a.commands[8].action == A::ColumnDefault);
    CHECK(a.commands[8].default_expr.empty());
    CHECK(a.commands[9].action == A::Other);

    const auto attach = one<AlterTable>("ALTER TABLE orders ATTACH PARTITION s.orders_2024 FOR VALUES FROM (1) TO (2)");
    REQUIRE(attach.commands.size() == 1);
    CHECK(attach.commands[0].action == A::AttachPartition);
    CHECK(attach.commands[0].partition.schema == "s");
    CHECK(attach.commands[0].partition.name == "orders_2024");
    CHECK_FALSE(attach.relation.only);
    CHECK_FALSE(one<AlterTable>("ALTER INDEX ix SET (fillfactor = 70)").on_table);
    CHECK(one<AlterTable>("ALTER TABLE IF EXISTS t ADD COLUMN x int").missing_ok);
}

TEST_CASE("DROP, RENAME, SET SCHEMA name their objects", "[sql][statements]") {
    const auto d = one<Drop>("DROP TABLE IF EXISTS a, s.b CASCADE");
    CHECK(d.kind == ObjectKind::Table);
    CHECK(d.missing_ok);
    REQUIRE(d.objects.size() == 2);
    CHECK(d.objects[0].schema.empty());
    CHECK(d.objects[0].name == "a");
    CHECK(d.objects[1].schema == "s");
    CHECK(d.objects[1].name == "b");
    CHECK(one<Drop>("DROP INDEX ix").kind == ObjectKind::Index);
    const auto schema = one<Drop>("DROP SCHEMA app");
    CHECK(schema.kind == ObjectKind::Schema);
    REQUIRE(schema.objects.size() == 1);
    CHECK(schema.objects[0].name == "app");
    CHECK(one<Drop>("DROP VIEW v").kind == ObjectKind::Other);

    const auto col = one<Rename>("ALTER TABLE s.t RENAME COLUMN a TO b");
    CHECK(col.kind == ObjectKind::Column);
    CHECK(col.relation.schema == "s");
    CHECK(col.relation.name == "t");
    CHECK(col.old_name == "a");
    CHECK(col.new_name == "b");
    CHECK(one<Rename>("ALTER TABLE IF EXISTS t RENAME TO u").missing_ok);
    CHECK(one<Rename>("ALTER TABLE t RENAME TO u").kind == ObjectKind::Table);
    CHECK(one<Rename>("ALTER INDEX i RENAME TO j").kind == ObjectKind::Index);
    CHECK(one<Rename>("ALTER TABLE t RENAME CONSTRAINT c TO d").kind == ObjectKind::TableConstraint);
    const auto sch = one<Rename>("ALTER SCHEMA a RENAME TO b");
    CHECK(sch.kind == ObjectKind::Schema);
    CHECK(sch.old_name == "a");

    const auto move = one<SetSchema>("ALTER TABLE t SET SCHEMA archive");
    CHECK(move.kind == ObjectKind::Table);
    CHECK(move.relation.name == "t");
    CHECK(move.new_schema == "archive");
}

TEST_CASE("search_path from SET, RESET and pg_dump's set_config", "[sql][statements]") {
    CHECK(one<SetSearchPath>("SET search_path TO app, public").path == std::vector<std::string>{"app", "public"});
    CHECK(one<SetSearchPath>("SET search_path TO DEFAULT").to_default);
    CHECK(one<SetSearchPath>("RESET search_path").to_default);
    const auto dump = one<SetSearchPath>("SELECT pg_catalog.set_config('search_path', 'App, \"B c\" , public', false)");
    CHECK_FALSE(dump.to_default);
    CHECK(dump.path == std::vector<std::string>{"app", "B c", "public"});
    CHECK(one<SetSearchPath>("SELECT pg_catalog.set_config('search_path', '', false)").path.empty());
    one<OtherStatement>("SELECT set_config('work_mem', '1MB', false)");
}

TEST_CASE("CREATE SCHEMA with elements, CREATE TABLE AS, INSERT ... ON CONFLICT", "[sql][statements]") {
    CHECK(one<CreateSchema>("CREATE SCHEMA IF NOT EXISTS app").if_not_exists);
    const auto s = one<CreateSchema>("CREATE SCHEMA app CREATE TABLE t (id int) CREATE INDEX ON t (id)");
    CHECK(s.name == "app");
    CHECK_FALSE(s.if_not_exists);
    REQUIRE(s.elements.size() == 2);
    CHECK(std::holds_alternative<CreateTable>(s.elements[0]));
    CHECK(std::holds_alternative<CreateIndex>(s.elements[1]));

    CHECK(one<CreateTableAs>("CREATE MATERIALIZED VIEW s.mv AS SELECT 1").relation.name == "mv");

    CHECK_FALSE(one<Insert>("INSERT INTO t VALUES (1)").conflict_target);
    CHECK_FALSE(one<Insert>("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING").conflict_target);
    const auto upsert = one<Insert>(
        "INSERT INTO s.users (email) VALUES ($1) ON CONFLICT (lower(email), tenant) WHERE deleted_at IS NULL DO NOTHING");
    CHECK(upsert.relation.schema == "s");
    CHECK(upsert.relation.name == "users");
    REQUIRE(upsert.conflict_target);
    REQUIRE(upsert.conflict_target->keys.size() == 2);
    CHECK(upsert.conflict_target->keys[0].expression == "lower(email)");
    CHECK(upsert.conflict_target->keys[1].column == "tenant");
    CHECK(upsert.conflict_target->predicate == "(deleted_at IS NULL)");
    CHECK(upsert.conflict_target->constraint.empty());
    const auto named = one<Insert>("INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO UPDATE SET x = 1");
    REQUIRE(named.conflict_target);
    CHECK(named.conflict_target->keys.empty());
    CHECK(named.conflict_target->constraint == "t_pkey");
}
