// upsert-without-unique-index: ON CONFLICT (keys) needs a unique index on exactly those keys.
#include "hygiene_support.hpp"

using namespace hygiene_test;

namespace {
const std::string kSchema =
    "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, tenant int, name text, deleted_at timestamptz);\n"
    "CREATE UNIQUE INDEX users_tenant_email ON users (tenant, email);\n"
    "CREATE UNIQUE INDEX users_lower_email ON users (lower(email));\n"
    "CREATE UNIQUE INDEX users_live_name ON users (name) WHERE deleted_at IS NULL;\n";
}

TEST_CASE("upsert-without-unique-index: target with no matching unique index", "[rules][upsert-without-unique-index]") {
    auto before = ddl(kSchema);
    // (email) alone: the unique index on (tenant, email) does not make email unique.
    auto f = on_migration(
        "upsert-without-unique-index", &before,
        "INSERT INTO users (id, email) VALUES (1, 'a@example.com')\n  ON CONFLICT (email) DO NOTHING;");
    REQUIRE(f.size() == 1);
    CHECK(f[0].rule_id == "upsert-without-unique-index");
    CHECK(f[0].severity == pgadvisor::rules::Severity::Error);
    CHECK(f[0].table == "users");
    CHECK(f[0].locations[0].first_line == 1);
    CHECK(f[0].title == "INSERT ... ON CONFLICT (email) on public.users has no unique index on exactly those keys");
    CHECK(f[0].title.find("a@example.com") == std::string::npos);  // no literal values
    CHECK(f[0].explanation.find("a@example.com") == std::string::npos);
    CHECK(f[0].fix_sql ==
          "-- Existing duplicates would make the unique index fail; find them first:\n"
          "SELECT email, count(*) FROM public.users WHERE email IS NOT NULL GROUP BY email HAVING count(*) > 1 "
          "ORDER BY count(*) DESC LIMIT 100;\n"
          "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON public.users USING btree (email);");
    REQUIRE(f[0].index_needs.size() == 1);
    CHECK(f[0].index_needs[0].unique);
    CHECK(f[0].index_needs[0].equality_columns == std::vector<std::string>{"email"});
}

TEST_CASE("upsert-without-unique-index: quiet when PostgreSQL finds an arbiter",
          "[rules][upsert-without-unique-index]") {
    auto before = ddl(kSchema);
    const char* quiet[] = {
        // the primary key
        "INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET email = excluded.email;",
        // the same keys in another order
        "INSERT INTO users (tenant, email) VALUES (1, 'x') ON CONFLICT (email, tenant) DO NOTHING;",
        // an expression target matching an expression index
        "INSERT INTO users (id, email) VALUES (1, 'x') ON CONFLICT (lower(email)) DO NOTHING;",
        // the partial index, named with its own predicate
        "INSERT INTO users (id, email, name) VALUES (1, 'x', 'n') ON CONFLICT (name) WHERE deleted_at IS NULL DO NOTHING;",
        // a named constraint that exists
        "INSERT INTO users (id, email) VALUES (1, 'x') ON CONFLICT ON CONSTRAINT users_pkey DO NOTHING;",
        // no target: DO NOTHING on any conflict needs no arbiter
        "INSERT INTO users (id, email) VALUES (1, 'x') ON CONFLICT DO NOTHING;",
        // no ON CONFLICT at all
        "INSERT INTO users (id, email) VALUES (1, 'x');",
        // a table the schema does not know: nothing to judge
        "INSERT INTO ghosts (id) VALUES (1) ON CONFLICT (id) DO NOTHING;",
    };
    for (const char* q : quiet) {
        INFO(q);
        CHECK(on_migration("upsert-without-unique-index", &before, q).empty());
    }
}

TEST_CASE("upsert-without-unique-index: a partial index needs the matching WHERE",
          "[rules][upsert-without-unique-index]") {
    auto before = ddl(kSchema);
    // Without the WHERE, PostgreSQL does not infer the partial index users_live_name.
    auto f = on_migration("upsert-without-unique-index", &before,
                          "INSERT INTO users (id, email, name) VALUES (1, 'x', 'n') ON CONFLICT (name) DO NOTHING;");
    REQUIRE(f.size() == 1);
    // With another predicate, neither.
    f = on_migration(
        "upsert-without-unique-index", &before,
        "INSERT INTO users (id, email, name) VALUES (1, 'x', 'n') ON CONFLICT (name) WHERE tenant = 3 DO NOTHING;");
    REQUIRE(f.size() == 1);
    CHECK(f[0].fix_sql.find("WHERE (tenant = 3)") != std::string::npos);
    CHECK(f[0].index_needs[0].predicate == "(tenant = 3)");
}

TEST_CASE("upsert-without-unique-index: a unique index created later in the change counts",
          "[rules][upsert-without-unique-index]") {
    auto before = ddl(kSchema);
    CHECK(on_migration("upsert-without-unique-index", &before,
                       "CREATE UNIQUE INDEX users_email ON users (email);\n"
                       "INSERT INTO users (id, email) VALUES (1, 'x') ON CONFLICT (email) DO NOTHING;")
              .empty());
    // A non-unique index on the column does not.
    CHECK(on_migration("upsert-without-unique-index", &before,
                       "CREATE INDEX users_email ON users (email);\n"
                       "INSERT INTO users (id, email) VALUES (1, 'x') ON CONFLICT (email) DO NOTHING;")
              .size() == 1);
}

TEST_CASE("upsert-without-unique-index: ON CONSTRAINT naming nothing", "[rules][upsert-without-unique-index]") {
    auto before = ddl(kSchema);
    auto f = on_migration(
        "upsert-without-unique-index", &before,
        "INSERT INTO users (id, email) VALUES (1, 'x') ON CONFLICT ON CONSTRAINT users_email_key DO NOTHING;");
    REQUIRE(f.size() == 1);
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::Medium);
    CHECK(f[0].fix_sql.empty());
}

TEST_CASE("upsert-without-unique-index: no schema, no judgement", "[rules][upsert-without-unique-index]") {
    CHECK(on_migration("upsert-without-unique-index", nullptr,
                       "INSERT INTO users (id, email) VALUES (1, 'x') ON CONFLICT (email) DO NOTHING;")
              .empty());
}

TEST_CASE("upsert-without-unique-index: the doc page's example", "[rules][upsert-without-unique-index][doc]") {
    const auto schema = doc_example("upsert-without-unique-index", "schema");
    const auto fires = doc_example("upsert-without-unique-index", "fires");
    const auto quiet = doc_example("upsert-without-unique-index", "quiet");
    REQUIRE(!schema.empty());
    REQUIRE(!fires.empty());
    REQUIRE(!quiet.empty());
    auto before = ddl(schema);
    CHECK(on_migration("upsert-without-unique-index", &before, fires).size() == 1);
    CHECK(on_migration("upsert-without-unique-index", &before, quiet).empty());
}
