// lint_migrations: files applied in order on a base schema; statement rules on
// the files, schema rules only for what the files introduce, each finding at
// the statement that introduced it.
#include <catch2/catch.hpp>

#include <set>

#include "catalog/ddl_loader.hpp"
#include "rules/lint.hpp"
#include "rules/registry.hpp"

using namespace pgadvisor;

namespace {

catalog::Catalog base() {
    catalog::Catalog c;
    catalog::apply_ddl(c,
                       "CREATE TABLE customers (id bigint PRIMARY KEY, email text);\n"
                       "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), "
                       "status text);\n",
                       "base.sql");
    REQUIRE(c.errors.empty());
    return c;
}

std::vector<std::string> ids(const rules::LintResult& r) {
    std::vector<std::string> out;
    for (const auto& f : r.findings)
        out.push_back(
            f.rule_id + "@" +
            (f.locations.empty() ? "?" : f.locations[0].file.str() + ":" + std::to_string(f.locations[0].first_line)));
    return out;
}

}  // namespace

TEST_CASE("lint: findings the files introduce, at the statement that introduced them", "[rules][lint]") {
    const std::vector<rules::LintFile> files = {
        {"001.sql", "-- items\nCREATE TABLE items (id int PRIMARY KEY, order_id bigint REFERENCES orders (id));\n"},
        {"002.sql",
         "CREATE INDEX CONCURRENTLY s1 ON orders (status);\n\nCREATE INDEX CONCURRENTLY s2 ON orders (status);\n"},
    };
    auto r = rules::lint_migrations(base(), files, rules::load_default_rules());
    CHECK(r.errors.empty());
    // The base schema's own unindexed orders.customer_id is not this change's doing: not reported.
    CHECK(ids(r) == std::vector<std::string>{"fk-without-index@001.sql:2", "duplicate-index@002.sql:3"});
    CHECK(r.findings[0].key == "public.items.items_order_id_fkey");
    CHECK(r.findings[1].key == "public.s2");
}

TEST_CASE("lint: what a later statement undoes is not reported", "[rules][lint]") {
    const std::vector<rules::LintFile> files = {
        {"001.sql",
         "CREATE INDEX CONCURRENTLY s1 ON orders (status);\nCREATE INDEX CONCURRENTLY s2 ON orders (status);\n"
         "DROP INDEX s2;\nCREATE TABLE items (id int, order_id bigint REFERENCES orders (id));\n"
         "CREATE INDEX items_order ON items (order_id);\n"},
    };
    auto r = rules::lint_migrations(base(), files, rules::load_default_rules());
    CHECK(r.findings.empty());
}

TEST_CASE("lint: statement rules see each file against the schema before it", "[rules][lint]") {
    const std::vector<rules::LintFile> files = {
        {"001.sql",
         "CREATE TABLE items (id int PRIMARY KEY, sku text);\nCREATE INDEX items_a ON items (sku);\n"},  // same file: fine
        {"002.sql", "CREATE INDEX items_b ON items (sku DESC);\n"},  // items existed before this file
    };
    auto r = rules::lint_migrations(base(), files, rules::load_default_rules());
    CHECK(ids(r) == std::vector<std::string>{"index-not-concurrently@002.sql:1"});
}

TEST_CASE("lint: a bad statement is an error with its line, and the rest is still linted", "[rules][lint]") {
    const std::vector<rules::LintFile> files = {
        {"001.sql",
         "CREATE INDEX ON orders (status);\n\nCREATE TABLEE oops (id int);\nCREATE INDEX ON orders (customer_id);\n"},
    };
    auto r = rules::lint_migrations(base(), files, rules::load_default_rules());
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].file == "001.sql");
    CHECK(r.errors[0].line == 3);
    CHECK(ids(r) == std::vector<std::string>{"index-not-concurrently@001.sql:1", "index-not-concurrently@001.sql:4"});
}

TEST_CASE("lint: disabled rules and rules lint does not run", "[rules][lint]") {
    auto set = rules::load_default_rules();
    rules::apply_override(set, "index-not-concurrently.enabled=false");
    const std::vector<rules::LintFile> files = {{"001.sql", "CREATE INDEX ON orders (status);\n"}};
    CHECK(rules::lint_migrations(base(), files, set).findings.empty());
    // unused-index is not a lint rule: a live-statistics question.
    const auto& lint_ids = rules::lint_rule_ids();
    CHECK(std::find(lint_ids.begin(), lint_ids.end(), "unused-index") == lint_ids.end());
    CHECK(lint_ids.size() == 5);
}

TEST_CASE("lint: without a schema, statements on unknown tables are notes, not errors", "[rules][lint]") {
    const std::vector<rules::LintFile> files = {
        {"001.sql", "CREATE INDEX orders_status ON orders (status);\nALTER TABLE orders ADD COLUMN note text;\n"},
    };
    auto r = rules::lint_migrations(catalog::Catalog{}, files, rules::load_default_rules());
    CHECK(r.errors.empty());
    REQUIRE(r.not_applied.size() == 2);
    CHECK(r.not_applied[0].line == 1);
    CHECK(r.not_applied[1].line == 2);
    // The statement rules still judge the file: orders is assumed to exist.
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule_id == "index-not-concurrently");
    CHECK(r.findings[0].confidence == rules::Confidence::Medium);
}

TEST_CASE("lint runs exactly the rules the registry declares for it", "[rules][lint][registry]") {
    // One file that each catalog and migration rule has something to say about.
    const std::vector<rules::LintFile> files = {
        {"001.sql",
         "CREATE TABLE items (id int PRIMARY KEY, order_id bigint REFERENCES orders (id), sku text, qty int);\n"
         "CREATE INDEX CONCURRENTLY items_sku ON items (sku);\n"
         "CREATE INDEX CONCURRENTLY items_sku_again ON items (sku);\n"
         "CREATE INDEX CONCURRENTLY items_qty ON items (qty);\n"
         "CREATE INDEX CONCURRENTLY items_qty_sku ON items (qty, sku);\n"
         "CREATE INDEX orders_status ON orders (status);\n"
         "INSERT INTO customers (id, email) VALUES (1, 'a') ON CONFLICT (email) DO NOTHING;\n"},
    };
    auto r = rules::lint_migrations(base(), files, rules::load_default_rules());
    CHECK(r.errors.empty());
    std::set<std::string> fired;
    for (const auto& f : r.findings) fired.insert(f.rule_id);
    std::set<std::string> declared;
    for (const auto& entry : rules::rule_registry())
        if (rules::runs_in_lint(entry)) declared.insert(entry.id);
    CHECK(fired == declared);
    const auto& lint_ids = rules::lint_rule_ids();
    CHECK(std::set<std::string>(lint_ids.begin(), lint_ids.end()) == declared);
    // What lint leaves out is what a schema built from files cannot show: workload and live statistics.
    for (const auto& entry : rules::rule_registry())
        if (!declared.count(entry.id)) CHECK((entry.kind == rules::RuleKind::Workload || entry.needs_live_statistics));
}

TEST_CASE("lint: a plain migration's psql \\gexec is psql's, not a parse error", "[rules][lint]") {
    // Issue 13, class 8: the plain layout drops an INVALID index with a query and \gexec
    // before building it; lint reads the file as psql runs it.
    const std::vector<rules::LintFile> files = {
        {"0001_add_orders_status_idx.sql",
         "SELECT format('DROP INDEX CONCURRENTLY %s', i.indexrelid::regclass)\n"
         "  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid\n"
         " WHERE i.indrelid = to_regclass('public.orders') AND c.relname = 'orders_status_idx' AND NOT i.indisvalid\n"
         "\\gexec\n"
         "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON public.orders USING btree (status);\n"}};
    auto set = rules::load_default_rules();
    const auto r = rules::lint_migrations(base(), files, set);
    INFO((r.errors.empty() ? "" : r.errors[0].message));
    CHECK(r.errors.empty());
    CHECK(r.not_applied.empty());
    for (const auto& f : r.findings) CHECK(f.rule_id != "index-not-concurrently");  // it is CONCURRENTLY
}

// Lint judges only the tables a statement changed (docs/benchmarks.md, "Hostile sizes"):
// a finding must still be placed at the statement that introduced it when that
// statement names no table, or another table than the finding's.
TEST_CASE("lint: findings a statement causes without naming their table are placed at it", "[rules][lint]") {
    const std::vector<rules::LintFile> files = {
        {"001.sql",
         "CREATE TABLE items (id int PRIMARY KEY, order_id bigint);\n"
         "CREATE INDEX items_order ON items (order_id);\n"
         "ALTER TABLE items ADD FOREIGN KEY (order_id) REFERENCES orders (id);\n"
         // DROP INDEX names the index, not its table: the FK is exposed here.
         "DROP INDEX items_order;\n"
         "CREATE INDEX CONCURRENTLY customers_email ON customers (email);\n"
         // A duplicate on a table of the base schema the file never created.
         "CREATE INDEX CONCURRENTLY customers_email2 ON customers (email);\n"},
    };
    auto r = rules::lint_migrations(base(), files, rules::load_default_rules());
    CHECK(r.errors.empty());
    CHECK(ids(r) == std::vector<std::string>{"fk-without-index@001.sql:4", "duplicate-index@001.sql:6"});
}
