// Migration files: every layout against reviewed golden files, comment
// safety, timestamps, numbering, and atomic never-overwrite writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include "catalog/index_sql.hpp"
#include "emit/atomic_file.hpp"
#include "emit/migrations.hpp"
#include "golden_files.hpp"
#include "migration_fixtures.hpp"
#include "sql/parser.hpp"
#include "sql/text.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;
using test::files_under;
using test::slurp;
using test::spit;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "pgadvisor-mig-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::vector<advise::Recommendation> named_shop() {
    auto recs = test::shop_recommendations();
    std::vector<advise::IndexDefinition*> creates;
    for (auto& r : recs)
        if (r.kind == advise::RecommendationKind::CreateIndex ||
            r.kind == advise::RecommendationKind::CreateUniqueIndex)
            creates.push_back(&r.index);
    catalog::assign_index_names(creates, nullptr);
    return recs;
}

emit::MigrationOptions options_for(catalog::MigrationLayout layout) {
    emit::MigrationOptions o;
    o.layout = layout;
    o.timestamp = "20240229235958";  // a leap day, two seconds before midnight: carries into March
    o.tool_version = "0.1.0-test";
    return o;
}

// Compares rendered files with tests/fixtures/emit/golden/<layout>/; with
// PGADVISOR_UPDATE_GOLDEN=1 rewrites them instead (review the diff, then commit).
void check_golden(catalog::MigrationLayout layout, const std::vector<emit::MigrationFile>& files) {
    test::check_golden_dir(fs::path(PGADVISOR_TEST_FIXTURES) / "emit" / "golden" / catalog::to_string(layout), files);
}

const emit::MigrationFile* find(const std::vector<emit::MigrationFile>& files, const std::string& path) {
    for (const auto& f : files)
        if (f.relative_path == path) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("migrations: every layout matches its golden files", "[migrations]") {
    const auto recs = named_shop();
    for (auto layout : {catalog::MigrationLayout::Plain, catalog::MigrationLayout::Flyway,
                        catalog::MigrationLayout::GolangMigrate, catalog::MigrationLayout::Prisma}) {
        SECTION(catalog::to_string(layout)) {
            const auto files = emit::render_migrations(recs, options_for(layout));
            check_golden(layout, files);
            // Deterministic: the same input, the same bytes.
            const auto again = emit::render_migrations(recs, options_for(layout));
            REQUIRE(again.size() == files.size());
            for (std::size_t i = 0; i < files.size(); ++i) CHECK(again[i].content == files[i].content);
        }
    }
}

TEST_CASE("migrations: file names per layout, timestamps carry across midnight and months", "[migrations]") {
    const auto recs = named_shop();
    auto gm = emit::render_migrations(recs, options_for(catalog::MigrationLayout::GolangMigrate));
    std::vector<std::string> ups;
    for (const auto& f : gm)
        if (f.role == emit::FileRole::Up) ups.push_back(f.relative_path);
    CHECK(ups == std::vector<std::string>{
                     "20240229235958_add_orders_customer_id_created_at_part_idx.up.sql",
                     "20240229235959_add_customers_lower_email_idx.up.sql",
                     "20240301000000_check_cart_items_cart_id_product_id_key.up.sql",
                     "20240301000001_add_cart_items_cart_id_product_id_key.up.sql",
                 });
    CHECK(find(gm, "20240301000001_add_cart_items_cart_id_product_id_key.down.sql"));
    CHECK(find(gm, "review/batch_the_n_1_lookup_of_order_lines_by_order_id.sql"));
    CHECK(find(gm, "review/upsert_cart_items_cart_id_product_id_key.sql"));

    auto plain = emit::render_migrations(recs, options_for(catalog::MigrationLayout::Plain));
    CHECK(find(plain, "0001_add_orders_customer_id_created_at_part_idx.sql"));
    CHECK(find(plain, "0001_add_orders_customer_id_created_at_part_idx.down.sql"));
    CHECK(find(plain, "0003_add_cart_items_cart_id_product_id_key.sql"));  // check and index in one file

    auto fw = emit::render_migrations(recs, options_for(catalog::MigrationLayout::Flyway));
    CHECK(find(fw, "V20240229235958__add_orders_customer_id_created_at_part_idx.sql"));
    CHECK(find(fw, "U20240229235958__add_orders_customer_id_created_at_part_idx.sql"));

    auto prisma = emit::render_migrations(recs, options_for(catalog::MigrationLayout::Prisma));
    for (const auto& f : prisma) CHECK(f.role != emit::FileRole::Down);
    const auto* p = find(prisma, "20240229235958_add_orders_customer_id_created_at_part_idx/migration.sql");
    REQUIRE(p);
    CHECK(p->content.find("--   DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_created_at_part_idx;") !=
          std::string::npos);

    auto o = options_for(catalog::MigrationLayout::Flyway);
    o.timestamp = "20231231235959";
    auto year = emit::render_migrations(recs, o);
    CHECK(find(year, "V20231231235959__add_orders_customer_id_created_at_part_idx.sql"));
    CHECK(find(year, "V20240101000000__add_customers_lower_email_idx.sql"));
    o.timestamp = "2023-12-31";
    CHECK_THROWS_AS(emit::render_migrations(recs, o), std::invalid_argument);
}

TEST_CASE("migrations: each tool's file holds one statement; the unique index is guarded", "[migrations]") {
    const auto recs = named_shop();
    for (auto layout : {catalog::MigrationLayout::Flyway, catalog::MigrationLayout::GolangMigrate,
                        catalog::MigrationLayout::Prisma}) {
        for (const auto& f : emit::render_migrations(recs, options_for(layout))) {
            if (f.role == emit::FileRole::Review || f.role == emit::FileRole::Schema) continue;
            auto spans = sql::split_statements(f.content);
            REQUIRE(spans.value);
            int statements = 0;
            for (const auto& s : *spans.value) {
                auto tokens = sql::scan_tokens(f.content.substr(s.offset, s.length));
                REQUIRE(tokens.value);
                for (const auto& t : *tokens.value)
                    if (t.kind != sql::TokenKind::Comment) {
                        ++statements;
                        break;
                    }
            }
            INFO(f.relative_path);
            CHECK(statements <= 1);
        }
    }
    auto plain = emit::render_migrations(recs, options_for(catalog::MigrationLayout::Plain));
    const auto* u = find(plain, "0003_add_cart_items_cart_id_product_id_key.sql");
    REQUIRE(u);
    const auto guard = u->content.find("DO $pgadvisor$");
    const auto create = u->content.find(
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS cart_items_cart_id_product_id_key");
    REQUIRE(guard != std::string::npos);
    REQUIRE(create != std::string::npos);
    CHECK(guard < create);
    CHECK(u->content.find("RAISE EXCEPTION") != std::string::npos);
    CHECK(u->content.find("cart_id IS NOT NULL AND product_id IS NOT NULL") != std::string::npos);
}

TEST_CASE("migrations: a retry after a failed or cancelled CONCURRENTLY build builds the index again", "[migrations]") {
    // Issue 13, class 8: such a build leaves an INVALID index of that name, which
    // CREATE INDEX CONCURRENTLY IF NOT EXISTS skipped on every later run.
    const auto recs = named_shop();
    auto plain = emit::render_migrations(recs, options_for(catalog::MigrationLayout::Plain));
    for (const auto* path :
         {"0001_add_orders_customer_id_created_at_part_idx.sql", "0003_add_cart_items_cart_id_product_id_key.sql"}) {
        INFO(path);
        const auto* u = find(plain, path);
        REQUIRE(u);
        // psql drops an INVALID index of that name (and only that) before IF NOT EXISTS can skip it.
        const auto drop = u->content.find("SELECT format('DROP INDEX CONCURRENTLY %s', i.indexrelid::regclass)");
        const auto gexec = u->content.find("\n\\gexec\n");
        const auto create = u->content.find("INDEX CONCURRENTLY IF NOT EXISTS");
        REQUIRE(drop != std::string::npos);
        REQUIRE(gexec != std::string::npos);
        REQUIRE(create != std::string::npos);
        CHECK(drop < gexec);
        CHECK(gexec < create);
        CHECK(u->content.find("AND NOT i.indisvalid", drop) < gexec);
        const auto guard = u->content.find("DO $pgadvisor$");
        if (guard != std::string::npos) CHECK(guard < drop);  // duplicates first: a failed check stops the file
    }
    // The tools cannot run that drop in the build's file: no IF NOT EXISTS, so a retry over the
    // leftover fails instead of reporting success; the comment says what to do.
    for (auto layout : {catalog::MigrationLayout::Flyway, catalog::MigrationLayout::GolangMigrate,
                        catalog::MigrationLayout::Prisma}) {
        for (const auto& f : emit::render_migrations(recs, options_for(layout))) {
            INFO(f.relative_path);
            if (f.role != emit::FileRole::Up || f.content.find("CREATE ") == std::string::npos) continue;
            if (f.content.find("INDEX CONCURRENTLY") == std::string::npos) continue;
            CHECK(f.content.find("CONCURRENTLY IF NOT EXISTS") == std::string::npos);
            CHECK(f.content.find("\\gexec") == std::string::npos);
            CHECK(f.content.find("No IF NOT EXISTS, on\n-- purpose") != std::string::npos);
        }
    }
}

TEST_CASE("migrations: a dollar-quote tag that the body does not contain", "[migrations]") {
    auto recs = named_shop();
    auto& u = recs[2];
    u.index.predicate = "note <> '$pgadvisor$'";
    auto files = emit::render_migrations({u}, options_for(catalog::MigrationLayout::Plain));
    const auto* f = find(files, "0001_add_cart_items_cart_id_product_id_key.sql");
    REQUIRE(f);
    CHECK(f->content.find("DO $pgadvisor_1$") != std::string::npos);
    CHECK(f->content.find("END\n$pgadvisor_1$;") != std::string::npos);
}

TEST_CASE("migrations: a statement in the evidence cannot end the header comment", "[migrations]") {
    auto recs = named_shop();
    auto r = recs[0];
    r.title = "Index orders */ DROP TABLE orders; /*";
    r.statements = {
        test::evidence("SELECT 1 /* a */ FROM orders */ ; DROP TABLE orders;\nWHERE a = $1\r\nAND b = $2\rOR c", 3, 1)};
    r.rationale = "line one\nDROP TABLE orders;";
    for (auto layout : {catalog::MigrationLayout::Plain, catalog::MigrationLayout::Flyway,
                        catalog::MigrationLayout::GolangMigrate, catalog::MigrationLayout::Prisma}) {
        auto files = emit::render_migrations({r}, options_for(layout));
        const auto& up = files.front();
        REQUIRE(up.role == emit::FileRole::Up);
        INFO(up.content);
        // libpg_query's scanner sees comments, then exactly the one CREATE INDEX; in the plain layout
        // (run by psql) first the query whose \gexec drops an INVALID index of that name.
        const bool plain = layout == catalog::MigrationLayout::Plain;
        const std::string text = plain ? sql::psql_script_as_sql(up.content) : up.content;
        auto tokens = sql::scan_tokens(text);
        REQUIRE(tokens.value);
        std::size_t first_code = std::string::npos;
        for (const auto& t : *tokens.value)
            if (t.kind != sql::TokenKind::Comment) {
                first_code = t.start;
                break;
            }
        REQUIRE(first_code != std::string::npos);
        CHECK(text.compare(first_code, 13, plain ? "SELECT format" : "CREATE INDEX ") == 0);
        auto spans = sql::split_statements(text);
        REQUIRE(spans.value);
        REQUIRE(spans.value->size() == (plain ? 2u : 1u));
        const auto& last = spans.value->back();
        // append() rather than "\n" + ...: g++ 12 warns falsely (-Wrestrict) on the latter.
        const std::string statement = std::string("\n").append(text, last.offset, last.length);  // a line of its own
        CHECK(statement.find("\nCREATE INDEX ") != std::string::npos);
        CHECK(up.content.find("--      WHERE a = $1\n") != std::string::npos);
        CHECK(up.content.find("--      AND b = $2\n") != std::string::npos);
        CHECK(up.content.find("--      OR c\n") != std::string::npos);
        CHECK(up.content.find("\nDROP TABLE") == std::string::npos);
    }
}

TEST_CASE("migrations: a review file says it is not a migration and what it replaces", "[migrations]") {
    const auto recs = named_shop();
    auto files = emit::render_migrations({recs[3]}, options_for(catalog::MigrationLayout::GolangMigrate));
    REQUIRE(files.size() == 1);
    CHECK(files[0].role == emit::FileRole::Review);
    CHECK(files[0].relative_path == "review/batch_the_n_1_lookup_of_order_lines_by_order_id.sql");
    CHECK(files[0].content.rfind("-- REVIEW FILE - NOT A MIGRATION.", 0) == 0);
    CHECK(files[0].content.find("--      SELECT * FROM order_lines WHERE order_id = $1\n") != std::string::npos);
    CHECK(files[0].content.find("4000 calls, 3200.00 ms total, 0.80 ms mean") != std::string::npos);
    CHECK(files[0].content.find("\nSELECT * FROM order_lines WHERE order_id = ANY($1);\n") != std::string::npos);
}

TEST_CASE("migrations: a batch's review file lists the loop's parent query apart from what it replaces",
          "[migrations]") {
    auto rec = named_shop()[3];
    REQUIRE(rec.kind == advise::RecommendationKind::RewriteStatement);
    rules::StatementEvidence parent;
    parent.fingerprint = "parent";
    parent.normalized = "SELECT id FROM orders WHERE customer_id = $1";
    parent.calls = 100;
    parent.loop_parent = true;
    rec.statements.push_back(parent);
    const auto files = emit::render_migrations({rec}, options_for(catalog::MigrationLayout::Plain));
    REQUIRE(files.size() == 1);
    const std::string& text = files[0].content;
    const auto replaces = text.find("-- It replaces (normalized, no literal values):\n");
    const auto loop = text.find("--      SELECT * FROM order_lines WHERE order_id = $1\n");
    const auto parent_heading = text.find("-- The loop's parent query (it stays as it is):\n");
    const auto parent_text = text.find("--      SELECT id FROM orders WHERE customer_id = $1\n");
    REQUIRE(replaces != std::string::npos);
    REQUIRE(parent_heading != std::string::npos);
    CHECK(replaces < loop);
    CHECK(loop < parent_heading);
    CHECK(parent_heading < parent_text);
    CHECK(text.find("-- 2. 100 calls") > parent_heading);  // numbered on from the statements it replaces
}

TEST_CASE("migrations: a review file's header says what the server checked of it", "[migrations]") {
    // Issue 13: the proof a live server gave, or that none was asked.
    auto rec = named_shop()[3];
    const auto options = options_for(catalog::MigrationLayout::Plain);
    CHECK(emit::render_migrations({rec}, options)[0].content.find(
              "\n-- Rewrite check (docs/migrations.md): not checked (offline).\n") != std::string::npos);
    rec.rewrite_check = {advise::RewriteCheck::Status::Equivalent, 7, 40, ""};
    CHECK(emit::render_migrations({rec}, options)[0].content.find(
              "\n-- Rewrite check (docs/migrations.md): prepared on the server; checked equivalent on 7 logged "
              "loops (40 keys).\n") != std::string::npos);
    rec.rewrite_check = {advise::RewriteCheck::Status::Equivalent, 2, 64,
                         "not compared on 3 more logged loops: at most 64 calls are run per rewrite"};
    CHECK(emit::render_migrations({rec}, options)[0].content.find(
              "\n-- Rewrite check (docs/migrations.md): prepared on the server; checked equivalent on 2 logged "
              "loops (64 keys); not compared on 3 more logged loops: at most 64 calls are run per rewrite.\n") !=
          std::string::npos);
    rec.rewrite_check = {advise::RewriteCheck::Status::Prepared, 0, 0, "not a batched lookup"};
    CHECK(emit::render_migrations({rec}, options)[0].content.find(
              "-- Rewrite check (docs/migrations.md): prepared on the server; not checked for equivalence (not a "
              "batched lookup).\n") != std::string::npos);
}

TEST_CASE("migrations: atomic writes never replace a file, and leave no temporary files", "[migrations]") {
    TempDir tmp;
    const std::string path = (tmp.path / "a" / "b" / "x.sql").string();
    std::string error;
    REQUIRE(emit::write_file_atomically(path, "one\n", emit::Overwrite::Never, error));  // parents created
    CHECK(slurp(path) == "one\n");
    CHECK_FALSE(emit::write_file_atomically(path, "two\n", emit::Overwrite::Never, error));
    CHECK(error == path + ": already exists, not overwritten");
    CHECK(slurp(path) == "one\n");
    REQUIRE(emit::write_file_atomically(path, "three\n", emit::Overwrite::Replace, error));
    CHECK(slurp(path) == "three\n");
    CHECK(files_under(tmp.path) == std::set<std::string>{"a/b/x.sql"});

    // A parent that is a file: the error names the path and the reason.
    spit(tmp.path / "file", "x");
    const std::string bad = (tmp.path / "file" / "y.sql").string();
    CHECK_FALSE(emit::write_file_atomically(bad, "y", emit::Overwrite::Never, error));
    CHECK(error.find(bad) != std::string::npos);
    CHECK(error.find("Not a directory") != std::string::npos);
}

TEST_CASE("migrations: plain numbers continue after the highest NNNN_ in the folder", "[migrations]") {
    TempDir tmp;
    const auto recs = named_shop();
    spit(tmp.path / "0007_init.sql", "-- init\n");
    spit(tmp.path / "0012_older.down.sql", "-- older\n");
    spit(tmp.path / "notes.txt", "-- not a migration\n");
    auto result = emit::write_migrations(recs, tmp.path.string(), options_for(catalog::MigrationLayout::Plain));
    CHECK(result.errors.empty());
    CHECK(result.written.size() == 8);
    CHECK(files_under(tmp.path) == std::set<std::string>{
                                       "0007_init.sql",
                                       "0012_older.down.sql",
                                       "notes.txt",
                                       "0013_add_orders_customer_id_created_at_part_idx.sql",
                                       "0013_add_orders_customer_id_created_at_part_idx.down.sql",
                                       "0014_add_customers_lower_email_idx.sql",
                                       "0014_add_customers_lower_email_idx.down.sql",
                                       "0015_add_cart_items_cart_id_product_id_key.sql",
                                       "0015_add_cart_items_cart_id_product_id_key.down.sql",
                                       "review/batch_the_n_1_lookup_of_order_lines_by_order_id.sql",
                                       "review/upsert_cart_items_cart_id_product_id_key.sql",
                                   });
    auto o = options_for(catalog::MigrationLayout::Plain);
    o.first_number = 13;
    const auto rendered = emit::render_migrations(recs, o);
    CHECK(slurp(tmp.path / "0015_add_cart_items_cart_id_product_id_key.sql") ==
          find(rendered, "0015_add_cart_items_cart_id_product_id_key.sql")->content);
}

TEST_CASE("migrations: write_migrations keeps an existing file, skips its down, writes the others", "[migrations]") {
    TempDir tmp;
    const auto recs = named_shop();
    // Someone already wrote this one: it must stay byte-identical.
    const std::string existing = "-- hand-written, keep me\n";
    const auto taken = tmp.path / "20240229235959_add_customers_lower_email_idx.up.sql";
    spit(taken, existing);
    auto result = emit::write_migrations(recs, tmp.path.string(), options_for(catalog::MigrationLayout::GolangMigrate));
    CHECK(slurp(taken) == existing);
    REQUIRE(result.errors.size() == 2);
    CHECK(result.errors[0] == taken.string() + ": already exists, not overwritten");
    CHECK(result.errors[1] == (tmp.path / "20240229235959_add_customers_lower_email_idx.down.sql").string() +
                                  ": not written, because its up migration was not");
    CHECK(result.written.size() == 8);
    const auto present = files_under(tmp.path);
    CHECK(present.size() == 9);  // the 8 written and the one that was there; no temporary files
    CHECK_FALSE(present.count("20240229235959_add_customers_lower_email_idx.down.sql"));
    for (const auto& f : present) CHECK(f.find("/.") == std::string::npos);
    for (const auto& f : present) CHECK(f[0] != '.');

    // Prisma: one folder per migration, created as needed.
    TempDir p;
    const std::string dir = (p.path / "prisma" / "migrations").string();
    auto pr = emit::write_migrations(recs, dir, options_for(catalog::MigrationLayout::Prisma));
    CHECK(pr.errors.empty());
    CHECK(files_under(dir).count("20240229235958_add_orders_customer_id_created_at_part_idx/migration.sql"));
    // Again into the same folder: nothing replaced; each index the folder creates already is
    // skipped, and so is each review file an earlier run wrote as it is now.
    auto twice = emit::write_migrations(recs, dir, options_for(catalog::MigrationLayout::Prisma));
    CHECK(twice.written.empty());
    std::size_t index_recs = 0, rewrites = 0;
    for (const auto& r : recs) {
        index_recs += r.kind != advise::RecommendationKind::RewriteStatement;
        rewrites += r.kind == advise::RecommendationKind::RewriteStatement;
    }
    CHECK(twice.skipped.size() == index_recs + rewrites);
    CHECK(twice.errors.empty());
    // A review file that now differs from the one there is kept, and said so.
    auto changed = recs;
    for (auto& r : changed)
        if (r.kind == advise::RecommendationKind::RewriteStatement) r.review_note = "changed since";
    auto third = emit::write_migrations(changed, dir, options_for(catalog::MigrationLayout::Prisma));
    CHECK(third.written.empty());
    CHECK(third.errors.size() == rewrites);
}

// Issue 18: the code layouts' files are not SQL, so a second run read none of them and wrote
// every index again under new numbers or timestamps (their downs would drop the first ones').
TEST_CASE("migrations: a second run of the Django, Alembic, Rails and Knex layouts writes nothing new, and says why",
          "[migrations]") {
    const auto recs = named_shop();
    std::size_t index_recs = 0, rewrites = 0;
    for (const auto& r : recs) {
        index_recs += r.kind != advise::RecommendationKind::RewriteStatement;
        rewrites += r.kind == advise::RecommendationKind::RewriteStatement;
    }
    REQUIRE(index_recs > 0);
    for (auto layout : {catalog::MigrationLayout::Django, catalog::MigrationLayout::Alembic,
                        catalog::MigrationLayout::Rails, catalog::MigrationLayout::Knex}) {
        INFO(catalog::to_string(layout));
        TempDir tmp;
        const auto first = emit::write_migrations(recs, tmp.path.string(), options_for(layout));
        REQUIRE(first.errors.empty());
        REQUIRE_FALSE(first.written.empty());
        const auto before = files_under(tmp.path);
        const auto again = emit::write_migrations(recs, tmp.path.string(), options_for(layout));
        CHECK(again.written.empty());
        CHECK(again.errors.empty());
        CHECK(files_under(tmp.path) == before);
        REQUIRE(again.skipped.size() == index_recs + rewrites);
        std::size_t creates = 0;
        for (const auto& why : again.skipped)
            creates += why.find("already creates it; not written again") != std::string::npos;
        CHECK(creates == index_recs);
    }
}

TEST_CASE("migrations: only pgadvisor's own marker says a code migration creates an index", "[migrations]") {
    const auto recs = named_shop();
    const auto target = std::find_if(recs.begin(), recs.end(), [](const advise::Recommendation& r) {
        return r.kind == advise::RecommendationKind::CreateIndex;
    });
    REQUIRE(target != recs.end());
    const std::string name = catalog::index_name(target->index);
    TempDir tmp;
    // The user's own migration building an index of that name: code pgadvisor does not read.
    spit(tmp.path / "0001_initial.py",
         "from django.db import migrations, models\n# creates index \"" + name +
             "\"\n"
             "class Migration(migrations.Migration):\n    operations = [migrations.AddIndex('order', models.Index("
             "fields=['x'], name='" +
             name + "'))]\n");
    auto result = emit::write_migrations(recs, tmp.path.string(), options_for(catalog::MigrationLayout::Django));
    CHECK(result.skipped.empty());
    // A marker as pgadvisor writes it, in a Knex file: that index is skipped, the others written.
    TempDir knex;
    spit(knex.path / "20200101000000_add_it.js", "  //   pgadvisor: creates index \"" + name + "\"\n");
    result = emit::write_migrations(recs, knex.path.string(), options_for(catalog::MigrationLayout::Knex));
    REQUIRE(result.skipped.size() == 1);
    CHECK(result.skipped[0].find(name + ": a migration in") == 0);
}

// Issue 16, files: an up migration could land without its down (a full disk, a
// name taken), and a migration tool would then apply what it cannot undo.
TEST_CASE("migrations: an up whose down cannot be written is taken back", "[migrations]") {
    TempDir tmp;
    const auto recs = named_shop();
    const auto up = tmp.path / "20240229235959_add_customers_lower_email_idx.up.sql";
    const auto down = tmp.path / "20240229235959_add_customers_lower_email_idx.down.sql";
    const std::string existing = "-- someone else's down, keep me\n";
    spit(down, existing);
    auto result = emit::write_migrations(recs, tmp.path.string(), options_for(catalog::MigrationLayout::GolangMigrate));
    CHECK(slurp(down) == existing);
    CHECK_FALSE(std::filesystem::exists(up));
    REQUIRE(result.errors.size() == 2);
    CHECK(result.errors[0] == down.string() + ": already exists, not overwritten");
    CHECK(result.errors[1] == up.string() + ": removed again, because its down migration could not be written");
    for (const auto& w : result.written) CHECK(w.path != up.string());
    CHECK(result.written.size() == 8);  // the other recommendations, up and down each
}

// Issue 16, files: a run killed with SIGKILL (no handler runs) left its
// ".<file>.tmp.<pid>.<n>" behind for good.
TEST_CASE("migrations: temporary files of a process that is gone are removed, a live one's kept", "[migrations]") {
    TempDir tmp;
    // A pid that is not running: the highest pid_max allows is never handed out above it.
    const std::string gone = ".20240229235959_x.up.sql.tmp.4194305.0";
    const std::string mine = ".20240229235959_x.up.sql.tmp." + std::to_string(::getpid()) + ".7";
    const std::string other = ".hidden.tmp.notes";  // not ours: kept
    std::filesystem::create_directories(tmp.path / "nested");
    for (const auto& name : {gone, mine, other}) spit(tmp.path / name, "partial");
    spit(tmp.path / "nested" / gone, "partial");
    auto result = emit::write_migrations({}, tmp.path.string(), options_for(catalog::MigrationLayout::GolangMigrate));
    CHECK_FALSE(std::filesystem::exists(tmp.path / gone));
    CHECK_FALSE(std::filesystem::exists(tmp.path / "nested" / gone));
    CHECK(std::filesystem::exists(tmp.path / mine));
    CHECK(std::filesystem::exists(tmp.path / other));
    REQUIRE(result.notes.size() == 2);
    CHECK(result.notes[0].find("an interrupted run left behind, removed") != std::string::npos);
}

TEST_CASE("migrations: a second run into the same folder writes only what is new", "[migrations]") {
    // Issue 13, class 8: plain numbering continues after the folder's highest NNNN_, so the
    // same advice written twice used to create every index again under new numbers, and
    // those downs drop the indexes the first migrations made.
    TempDir tmp;
    const auto recs = named_shop();
    const auto first = emit::write_migrations(recs, tmp.path.string(), options_for(catalog::MigrationLayout::Plain));
    REQUIRE(first.errors.empty());
    const auto before = files_under(tmp.path);
    const auto again = emit::write_migrations(recs, tmp.path.string(), options_for(catalog::MigrationLayout::Plain));
    std::size_t index_recs = 0, rewrites = 0;
    for (const auto& r : recs) {
        index_recs += r.kind == advise::RecommendationKind::CreateIndex ||
                      r.kind == advise::RecommendationKind::CreateUniqueIndex;
        rewrites += r.kind == advise::RecommendationKind::RewriteStatement;
    }
    REQUIRE(index_recs > 0);
    // Each index, and each rewrite's review file, as the first run wrote it.
    CHECK(again.skipped.size() == index_recs + rewrites);
    CHECK(again.errors.empty());
    for (const auto& w : again.written) CHECK(w.role == emit::FileRole::Review);  // no up or down again
    CHECK(files_under(tmp.path).size() == before.size() + again.written.size());

    // A new recommendation next to the old ones: only it is written, numbered after them.
    auto more = recs;
    auto plain_index = std::find_if(more.begin(), more.end(), [](const advise::Recommendation& r) {
        return r.kind == advise::RecommendationKind::CreateIndex;
    });
    REQUIRE(plain_index != more.end());
    auto extra = *plain_index;
    extra.index.name = "orders_brand_new_idx";
    extra.index.keys = {catalog::IndexKey{"note", "", false, false}};
    more.push_back(extra);
    const auto third = emit::write_migrations(more, tmp.path.string(), options_for(catalog::MigrationLayout::Plain));
    CHECK(third.skipped.size() == index_recs + rewrites);
    std::size_t ups = 0;
    for (const auto& w : third.written)
        if (w.role == emit::FileRole::Up) {
            ++ups;
            CHECK(w.path.find("orders_brand_new_idx") != std::string::npos);
        }
    CHECK(ups == 1);
}

TEST_CASE("migrations: a file whose generated SQL does not parse is never written", "[migrations]") {
    // Issue 13, class 1: a redaction placeholder once reached a partial index's WHERE
    // (`status = <the constant every call uses; ...>`) and psql failed at `<`. Whatever
    // produces such text, write_migrations parses every statement back first.
    TempDir tmp;
    auto recs = named_shop();
    REQUIRE(recs.size() > 1);
    recs[0].index.predicate = "status = <the constant every call uses; --show-literals prints it>";
    auto result = emit::write_migrations(recs, tmp.path.string(), options_for(catalog::MigrationLayout::Plain));
    REQUIRE(result.errors.size() == 2);  // the up file, and its down (never without its up)
    CHECK(result.errors[0].find("not written: a statement pgadvisor generated does not parse") != std::string::npos);
    CHECK(result.errors[1].find("not written, because its up migration was not") != std::string::npos);
    const auto present = files_under(tmp.path);
    CHECK(present.size() == result.written.size());
    for (const auto& f : present) {
        CHECK(slurp(tmp.path / f).find("<the constant") == std::string::npos);
        auto spans = sql::split_statements(slurp(tmp.path / f));
        REQUIRE(spans);
    }
}
