// Alembic revisions: op.create_index(..., postgresql_concurrently=True) where it builds the
// very index, op.execute of the SQL layouts' statement elsewhere, all inside autocommit_block;
// revisions chained from the versions folder's head.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "emit/alembic_migration.hpp"
#include "emit/migrations.hpp"
#include "emit/python_text.hpp"
#include "migration_fixtures.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

emit::MigrationOptions alembic_options() {
    emit::MigrationOptions o;
    o.layout = catalog::MigrationLayout::Alembic;
    o.timestamp = "20240229235958";
    o.alembic_head = "ae1027a6acf";
    return o;
}

}  // namespace

TEST_CASE("alembic: each index a revision inside autocommit_block, chained", "[alembic-layout]") {
    const auto files = emit::render_migrations(test::shop_recommendations(), alembic_options());
    const auto ups = test::up_files(files);
    REQUIRE(ups.size() == 4);
    CHECK(ups[0]->relative_path == "20240229235958_add_orders_customer_id_created_at_part_idx.py");
    CHECK(has(ups[0]->content, "down_revision = \"ae1027a6acf\"\n"));
    CHECK(has(ups[1]->content, "revision = \"20240229235959\"\ndown_revision = \"20240229235958\"\n"));
    for (const auto* f : ups) CHECK(has(f->content, "    with op.get_context().autocommit_block():\n"));
    // Partial and expression indexes: the SQL layouts' statement, through op.execute.
    CHECK(has(ups[0]->content, "        op.execute(\n"));
    CHECK(has(ups[0]->content, "WHERE deleted_at IS NULL;\\n\"\n"));
    CHECK(has(ups[0]->content, "        op.drop_index(\n"));
    // The unique index on plain columns: op.create_index, after its duplicates check.
    CHECK(has(ups[2]->content, "op.execute("));
    CHECK(has(ups[2]->content, "    pass  # the upgrade only checked the data\n"));
    CHECK(has(ups[3]->content, "            [\"cart_id\", \"product_id\"],\n"));
    CHECK(has(ups[3]->content, "            unique=True,\n            postgresql_concurrently=True,\n"));
    CHECK(has(ups[3]->sql, "CREATE UNIQUE INDEX CONCURRENTLY"));
}

TEST_CASE("alembic: a colon text() would bind is escaped, a cast stays", "[alembic-layout]") {
    CHECK(emit::sqlalchemy_text_escaped("WHERE note = ':x' AND a::text = b") == "WHERE note = '\\:x' AND a::text = b");
    CHECK(emit::python_string("a\\:b\"\n") == "\"a\\\\:b\\\"\\n\"");
}

TEST_CASE("alembic: the head revision of a versions folder", "[alembic-layout]") {
    std::string tmpl = (fs::temp_directory_path() / "pgadvisor-alembic-XXXXXX").string();
    const fs::path dir = ::mkdtemp(tmpl.data());
    std::ofstream(dir / "a_first.py") << "revision = 'aaa'\ndown_revision = None\n";
    std::ofstream(dir / "b_second.py") << "revision = \"bbb\"\ndown_revision = \"aaa\"\n";
    CHECK(emit::read_alembic_head(dir.string()) == "bbb");
    CHECK(emit::read_alembic_head((dir / "none").string()).empty());
    emit::MigrationOptions options;
    options.layout = catalog::MigrationLayout::Alembic;
    options.timestamp = "20240229235958";
    auto result = emit::write_migrations(test::shop_recommendations(), dir.string(), options);
    CHECK(result.errors.empty());
    CHECK(emit::read_alembic_head(dir.string()) == "20240301000001");
    fs::remove_all(dir);
}
