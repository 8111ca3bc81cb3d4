// Migration files applied to a real server, the way the tools apply them:
// statement by statement outside a transaction block. Names with spaces,
// quotes, capitals, reserved words and non-ASCII letters must come out
// quoted right; the down files undo the up files; the unique index refuses
// to build over duplicates (the RAISE) and leaves no invalid index behind.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <unistd.h>

#include "catalog/index_sql.hpp"
#include "emit/migrations.hpp"
#include "sql/parser.hpp"
#include "throwaway_pg.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;

namespace {

advise::Recommendation rec(advise::RecommendationKind kind, std::string schema, std::string table) {
    advise::Recommendation r;
    r.kind = kind;
    r.title = "index on " + table;
    r.rule_ids = {"seq-scan"};
    r.index.schema = std::move(schema);
    r.index.table = std::move(table);
    return r;
}

std::vector<advise::Recommendation> recommendations() {
    std::vector<advise::Recommendation> recs;
    auto a = rec(advise::RecommendationKind::CreateIndex, "public", "order");
    a.index.keys = {{"user", "", false, false}, {"select", "", true, true}};
    a.index.include = {"größe"};
    a.index.predicate = "\"Status\" IS NOT NULL";
    recs.push_back(a);
    auto b = rec(advise::RecommendationKind::CreateIndex, "public", "Bestellungen");
    b.index.keys = {{"", "lower(\"café\")", false, false}, {"Kunden Nr", "", false, false}};
    recs.push_back(b);
    auto c = rec(advise::RecommendationKind::CreateUniqueIndex, "Verkauf", "user items");
    c.index.keys = {{"order", "", false, false}, {"a\"b", "", false, false}};
    c.index.unique = true;
    c.review_sql =
        "INSERT INTO \"Verkauf\".\"user items\" (\"order\", \"a\"\"b\") VALUES ($1, $2) ON CONFLICT DO NOTHING;";
    recs.push_back(c);
    std::vector<advise::IndexDefinition*> creates{&recs[0].index, &recs[1].index, &recs[2].index};
    catalog::assign_index_names(creates, nullptr);
    return recs;
}

// A file run with psql as the plain layout's header says (ON_ERROR_STOP, autocommit), with
// SQLSTATEs in its messages; the exit code and what psql printed.
CommandResult run_psql(const std::string& conninfo, const std::string& content) {
    static int n = 0;
    const std::string file = "/tmp/pgadvisor_migapply_" + std::to_string(::getpid()) + "_" + std::to_string(++n) +
                             ".sql";
    {
        std::ofstream out(file);
        out << content;
    }
    auto r = run_command("psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d " + shell_quoted(conninfo) + " -f " +
                         file + " 2>&1");
    std::remove(file.c_str());
    return r;
}

struct Failure {
    std::string message, sqlstate;
};

// As the layout's tool runs a file outside a transaction: psql for the plain layout (its
// \gexec is psql's), each statement on its own for the others. The first failure, if any.
// conninfo: the same database as conn, for psql.
std::optional<Failure> apply_file(pqxx::connection& conn, const std::string& file,
                                  catalog::MigrationLayout layout = catalog::MigrationLayout::Flyway,
                                  const std::string& conninfo = "") {
    if (layout == catalog::MigrationLayout::Plain) {
        REQUIRE(!conninfo.empty());
        auto r = run_psql(conninfo, file);
        if (r.exit_code == 0) return std::nullopt;
        const auto at = r.output.find("ERROR:  ");
        return Failure{r.output, at == std::string::npos ? "" : r.output.substr(at + 8, 5)};
    }
    auto spans = sql::split_statements(file);
    REQUIRE(spans.value);
    for (const auto& s : *spans.value) {
        try {
            pqxx::nontransaction tx(conn);
            tx.exec(file.substr(s.offset, s.length));
        } catch (const pqxx::sql_error& e) {
            return Failure{e.what(), e.sqlstate()};
        }
    }
    return std::nullopt;
}

// Applies a file that must go through.
void apply_ok(pqxx::connection& conn, const std::string& file,
              catalog::MigrationLayout layout = catalog::MigrationLayout::Flyway, const std::string& conninfo = "") {
    auto failed = apply_file(conn, file, layout, conninfo);
    INFO((failed ? failed->message : ""));
    REQUIRE_FALSE(failed);
}

// Prisma keeps no down file: the down SQL is in the up file's last comment.
std::string prisma_down(const std::string& up) {
    const auto at = up.find("-- Down (Prisma Migrate has no down migrations");
    std::string out;
    if (at == std::string::npos) return out;  // the duplicates check migration: nothing to undo
    std::size_t line = up.find('\n', at) + 1;
    while (line < up.size()) {
        const auto end = up.find('\n', line);
        const std::string text = up.substr(line, end - line);
        if (text.rfind("--   ", 0) == 0) out += text.substr(5) + "\n";
        line = end + 1;
    }
    return out;
}

struct IndexRow {
    bool exists = false;
    std::string schema, table, definition;
    bool unique = false, valid = false;
};

IndexRow index_row(pqxx::connection& conn, const std::string& name) {
    pqxx::nontransaction tx(conn);
    auto r = tx.exec_params(
        "SELECT n.nspname, t.relname, pg_get_indexdef(i.indexrelid), i.indisunique, i.indisvalid "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.relname = $1",
        name);
    IndexRow row;
    if (r.empty()) return row;
    row.exists = true;
    row.schema = r[0][0].as<std::string>();
    row.table = r[0][1].as<std::string>();
    row.definition = r[0][2].as<std::string>();
    row.unique = r[0][3].as<bool>();
    row.valid = r[0][4].as<bool>();
    return row;
}

}  // namespace

TEST_CASE("migrations: every layout applies, undoes and re-applies on a real server", "[integration][pg][migrations]") {
    const auto& pg = throwaway_pg();
    const std::string db = "mig_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection admin(pg.conninfo());
        pqxx::nontransaction tx(admin);
        tx.exec("CREATE DATABASE " + db);
    }
    auto owned = std::make_unique<pqxx::connection>(pg.conninfo(db));
    pqxx::connection& conn = *owned;
    {
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE TABLE \"order\" (\"user\" int, \"select\" text, \"Status\" text, \"größe\" int)");
        tx.exec("CREATE TABLE \"Bestellungen\" (\"café\" text, \"Kunden Nr\" int)");
        tx.exec("CREATE SCHEMA \"Verkauf\"");
        tx.exec("CREATE TABLE \"Verkauf\".\"user items\" (\"order\" int, \"a\"\"b\" int)");
        tx.exec("INSERT INTO \"Verkauf\".\"user items\" VALUES (1, 1), (1, 2), (NULL, 1), (NULL, 1)");
    }
    const auto recs = recommendations();
    const std::string a = recs[0].index.name, b = recs[1].index.name, c = recs[2].index.name;
    CHECK(a == "order_user_select_part_idx");
    CHECK(b == "bestellungen_lower_café_kunden_nr_idx");
    CHECK(c == "user_items_order_a_b_key");

    for (auto layout : {catalog::MigrationLayout::Plain, catalog::MigrationLayout::Flyway,
                        catalog::MigrationLayout::GolangMigrate, catalog::MigrationLayout::Prisma}) {
        INFO("layout " << catalog::to_string(layout));
        {
            pqxx::nontransaction tx(conn);
            tx.exec("INSERT INTO \"Verkauf\".\"user items\" VALUES (2, 7), (2, 7)");  // a duplicate key
        }
        emit::MigrationOptions options;
        options.layout = layout;
        options.timestamp = "20240101000000";
        options.tool_version = "test";
        const auto files = emit::render_migrations(recs, options);
        std::vector<const emit::MigrationFile*> ups, downs;
        for (const auto& f : files) {
            if (f.role == emit::FileRole::Up) ups.push_back(&f);
            if (f.role == emit::FileRole::Down) downs.push_back(&f);
        }

        // Up, in order, stopping at the first failure as the tools do.
        bool raised = false;
        for (const auto* f : ups) {
            INFO(f->relative_path);
            if (auto failed = apply_file(conn, f->content, layout, pg.conninfo(db))) {
                raised = true;
                CHECK(f->recommendation == 2);
                CHECK(failed->message.find("duplicate keys in user items (order, a\"b)") != std::string::npos);
                CHECK(failed->sqlstate == "23505");
                CHECK_FALSE(index_row(conn, c).exists);  // no index, not even an invalid one
                pqxx::nontransaction tx(conn);
                tx.exec("DELETE FROM \"Verkauf\".\"user items\" WHERE \"order\" = 2");
                tx.exec("INSERT INTO \"Verkauf\".\"user items\" VALUES (2, 7)");
                tx.commit();
                apply_ok(conn, f->content, layout, pg.conninfo(db));  // the same migration, now without duplicates
            }
        }
        CHECK(raised);

        auto ra = index_row(conn, a);
        REQUIRE(ra.exists);
        CHECK(ra.table == "order");
        CHECK(ra.definition ==
              "CREATE INDEX order_user_select_part_idx ON public.\"order\" USING btree (\"user\", "
              "\"select\" DESC) INCLUDE (\"größe\") WHERE (\"Status\" IS NOT NULL)");
        auto rb = index_row(conn, b);
        REQUIRE(rb.exists);
        CHECK(rb.definition ==
              "CREATE INDEX \"bestellungen_lower_café_kunden_nr_idx\" ON public.\"Bestellungen\" "
              "USING btree (lower(\"café\"), \"Kunden Nr\")");
        auto rc = index_row(conn, c);
        REQUIRE(rc.exists);
        CHECK(rc.schema == "Verkauf");
        CHECK(rc.table == "user items");
        CHECK(rc.unique);
        CHECK(rc.valid);
        CHECK(rc.definition ==
              "CREATE UNIQUE INDEX user_items_order_a_b_key ON \"Verkauf\".\"user items\" USING "
              "btree (\"order\", \"a\"\"b\")");

        // Down, newest first.
        if (layout == catalog::MigrationLayout::Prisma) {
            for (auto it = ups.rbegin(); it != ups.rend(); ++it) apply_ok(conn, prisma_down((*it)->content));
        } else {
            CHECK(downs.size() == ups.size());
            for (auto it = downs.rbegin(); it != downs.rend(); ++it)
                apply_ok(conn, (*it)->content, layout, pg.conninfo(db));
        }
        CHECK_FALSE(index_row(conn, a).exists);
        CHECK_FALSE(index_row(conn, b).exists);
        CHECK_FALSE(index_row(conn, c).exists);

        // Up again: no duplicates now, every migration goes through.
        for (const auto* f : ups) apply_ok(conn, f->content, layout, pg.conninfo(db));
        CHECK(index_row(conn, a).exists);
        CHECK(index_row(conn, b).exists);
        CHECK(index_row(conn, c).valid);

        // Leave the database as it was for the next layout.
        pqxx::nontransaction tx(conn);
        for (const auto& n : std::vector<std::string>{a, b, c})
            tx.exec("DROP INDEX IF EXISTS " + tx.quote_name(n) + ", \"Verkauf\"." + tx.quote_name(n));
    }
    owned.reset();  // DROP DATABASE refuses while a session is connected
    pqxx::connection admin(pg.conninfo());
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE " + db);
}

TEST_CASE("migrations: the plain unique-index file run as its header says stops at the duplicates check",
          "[integration][pg][migrations]") {
    // Issue 13, class 8: run with plain `psql -f`, the failed guard is reported and psql goes on
    // to CREATE UNIQUE INDEX CONCURRENTLY, which fails late and leaves an INVALID index (one that
    // still takes writes). The header now says `psql -v ON_ERROR_STOP=1 -f`: that stops the file.
    const auto& pg = throwaway_pg();
    const std::string db = "migstop_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection admin(pg.conninfo());
        pqxx::nontransaction tx(admin);
        tx.exec("CREATE DATABASE " + db);
    }
    pqxx::connection conn(pg.conninfo(db));
    {
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE SCHEMA \"Verkauf\"");
        tx.exec("CREATE TABLE \"Verkauf\".\"user items\" (\"order\" int, \"a\"\"b\" int)");
        tx.exec("INSERT INTO \"Verkauf\".\"user items\" VALUES (2, 7), (2, 7)");  // a duplicate key
    }
    const auto recs = recommendations();
    const std::string name = recs[2].index.name;
    emit::MigrationOptions options;
    options.tool_version = "test";
    std::string up;
    for (const auto& f : emit::render_migrations(recs, options))
        if (f.role == emit::FileRole::Up && f.recommendation == 2) up = f.content;
    REQUIRE(up.find("psql -v ON_ERROR_STOP=1 -f") != std::string::npos);
    const std::string file = "/tmp/pgadvisor_migstop_" + db + ".sql";
    {
        std::ofstream out(file);
        out << up;
    }
    const std::string psql = "psql -X -q -d " + shell_quoted(pg.conninfo(db));
    auto as_header_says = run_command(psql + " -v ON_ERROR_STOP=1 -f " + file + " 2>&1");
    CHECK(as_header_says.exit_code != 0);
    CHECK(as_header_says.output.find("duplicate keys in user items") != std::string::npos);
    CHECK_FALSE(index_row(conn, name).exists);  // stopped before the index: not even an invalid one

    // Without ON_ERROR_STOP (what the header used to say): the damage the header now prevents.
    auto plain_f = run_command(psql + " -f " + file + " 2>&1");
    CHECK(plain_f.output.find("duplicate keys in user items") != std::string::npos);
    const auto left = index_row(conn, name);
    CHECK(left.exists);
    CHECK_FALSE(left.valid);

    // The duplicates resolved, the same file run again as its header says: the INVALID index
    // left behind is rebuilt (IF NOT EXISTS alone skipped it, and duplicates kept coming in).
    {
        pqxx::nontransaction tx(conn);
        tx.exec(
            "DELETE FROM \"Verkauf\".\"user items\" WHERE ctid <> (SELECT min(ctid) FROM \"Verkauf\".\"user items\")");
    }
    auto retry = run_command(psql + " -v ON_ERROR_STOP=1 -f " + file + " 2>&1");
    INFO(retry.output);
    CHECK(retry.exit_code == 0);
    const auto rebuilt = index_row(conn, name);
    REQUIRE(rebuilt.exists);
    CHECK(rebuilt.valid);
    CHECK(rebuilt.unique);
    bool rejected = false;
    try {
        pqxx::nontransaction tx(conn);
        tx.exec("INSERT INTO \"Verkauf\".\"user items\" VALUES (2, 7)");
    } catch (const pqxx::sql_error& e) {
        rejected = e.sqlstate() == "23505";
    }
    CHECK(rejected);
    // A third run changes nothing: the valid index stays (IF NOT EXISTS), no error.
    CHECK(run_command(psql + " -v ON_ERROR_STOP=1 -f " + file + " 2>&1").exit_code == 0);
    CHECK(index_row(conn, name).valid);
    std::remove(file.c_str());
}

namespace {

// An INVALID index of the file's name, as a CONCURRENTLY build cancelled midway leaves it:
// the build commits the index's catalog entry, then waits for a writer's transaction and is
// cancelled there by statement_timeout.
void cancelled_build(const ThrowawayPg& pg, const std::string& db, const advise::Recommendation& rec) {
    pqxx::connection writer(pg.conninfo(db)), builder(pg.conninfo(db));
    pqxx::work open_write(writer);
    open_write.exec("INSERT INTO \"order\" VALUES (1, 'x', 'paid', 3)");
    pqxx::nontransaction tx(builder);
    tx.exec("SET statement_timeout = '500ms'");
    bool cancelled = false;
    try {
        tx.exec(catalog::create_index_sql(rec.index));
    } catch (const pqxx::sql_error& e) {
        cancelled = e.sqlstate() == "57014";  // query_canceled
    }
    REQUIRE(cancelled);
    open_write.commit();
}

}  // namespace

TEST_CASE("migrations: after a cancelled CONCURRENTLY build, running the migration again builds a valid index",
          "[integration][pg][migrations]") {
    // Issue 13, class 8: a build cancelled midway leaves an INVALID index of that name, which
    // CREATE INDEX CONCURRENTLY IF NOT EXISTS then skipped on every later run, reporting success.
    const auto& pg = throwaway_pg();
    const std::string db = "migcancel_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection admin(pg.conninfo());
        pqxx::nontransaction tx(admin);
        tx.exec("CREATE DATABASE " + db);
    }
    auto owned = std::make_unique<pqxx::connection>(pg.conninfo(db));
    pqxx::connection& conn = *owned;
    {
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE TABLE \"order\" (\"user\" int, \"select\" text, \"Status\" text, \"größe\" int)");
    }
    const auto recs = recommendations();
    const std::string name = recs[0].index.name;
    for (auto layout : {catalog::MigrationLayout::Plain, catalog::MigrationLayout::Flyway,
                        catalog::MigrationLayout::GolangMigrate, catalog::MigrationLayout::Prisma}) {
        INFO("layout " << catalog::to_string(layout));
        emit::MigrationOptions options;
        options.layout = layout;
        options.timestamp = "20240101000000";
        options.tool_version = "test";
        std::string up, down;
        for (const auto& f : emit::render_migrations({recs[0]}, options)) {
            if (f.role == emit::FileRole::Up) up = f.content;
            if (f.role == emit::FileRole::Down) down = f.content;
        }
        if (layout == catalog::MigrationLayout::Prisma) down = prisma_down(up);
        REQUIRE(!up.empty());
        REQUIRE(!down.empty());

        cancelled_build(pg, db, recs[0]);
        REQUIRE(index_row(conn, name).exists);
        REQUIRE_FALSE(index_row(conn, name).valid);

        if (layout == catalog::MigrationLayout::Plain) {
            // psql: the file drops the INVALID index itself and builds it again.
            apply_ok(conn, up, layout, pg.conninfo(db));
        } else {
            // The tools cannot run that drop in the build's file: the run fails on the leftover
            // (42P07) instead of reporting success over it; the down SQL, then the up, build it.
            auto failed = apply_file(conn, up, layout);
            REQUIRE(failed);
            CHECK(failed->sqlstate == "42P07");
            CHECK_FALSE(index_row(conn, name).valid);
            apply_ok(conn, down, layout);
            apply_ok(conn, up, layout);
        }
        CHECK(index_row(conn, name).valid);
        pqxx::nontransaction tx(conn);
        tx.exec("DROP INDEX " + tx.quote_name(name));
    }
    owned.reset();
    pqxx::connection admin(pg.conninfo());
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE " + db + " WITH (FORCE)");
}
