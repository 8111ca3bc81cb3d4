// The schema.prisma lines beside Prisma migrations: the same index names as the
// migrations, fields through @map, DESC as sort: Desc, and what Prisma cannot declare.
#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include "catalog/index_sql.hpp"
#include "emit/migrations.hpp"
#include "emit/prisma_schema_lines.hpp"
#include "golden_files.hpp"
#include "migration_fixtures.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {

advise::IndexDefinition post_index() {
    advise::IndexDefinition index;
    index.table = "blog_posts";
    index.keys = {catalog::column_key("author_id"), catalog::column_key("created_at")};
    index.keys[1].descending = true;
    index.keys[1].nulls_first = true;  // PostgreSQL's default for DESC
    index.name = "blog_posts_author_id_created_at_idx";
    return index;
}

const char* kSchema = R"(
model Post {
  id        Int      @id
  authorId  Int      @map("author_id")
  createdAt DateTime @map("created_at")
  @@map("blog_posts")
}
)";

}  // namespace

TEST_CASE("prisma schema lines: map: is the migration's index name, fields through @map", "[prisma-schema]") {
    const auto schema = catalog::parse_prisma_schema(kSchema);
    const auto index = post_index();
    CHECK(emit::prisma_index_line(index, schema.model_for_table("blog_posts")) ==
          R"(@@index([authorId, createdAt(sort: Desc)], map: "blog_posts_author_id_created_at_idx"))");
    CHECK(emit::prisma_index_line(index, nullptr) ==
          R"(@@index([author_id, created_at(sort: Desc)], map: "blog_posts_author_id_created_at_idx"))");
    auto unique = index;
    unique.unique = true;
    unique.keys[1].descending = unique.keys[1].nulls_first = false;
    unique.name = "a \"quoted\" name";
    CHECK(emit::prisma_index_line(unique, nullptr) == R"(@@unique([author_id, created_at], map: "a \"quoted\" name"))");
}

TEST_CASE("prisma schema lines: what Prisma cannot declare, and why", "[prisma-schema]") {
    auto partial = post_index();
    partial.predicate = "deleted_at IS NULL";
    CHECK(emit::prisma_undeclarable_reason(partial).find("partial") != std::string::npos);
    CHECK(emit::prisma_index_line(partial, nullptr).empty());
    auto include = post_index();
    include.include = {"title"};
    CHECK(emit::prisma_undeclarable_reason(include).find("INCLUDE") != std::string::npos);
    auto expression = post_index();
    expression.keys = {catalog::expression_key("lower(email)")};
    CHECK(emit::prisma_undeclarable_reason(expression).find("expression") != std::string::npos);
    auto nulls_last = post_index();
    nulls_last.keys[1].nulls_first = false;  // DESC NULLS LAST
    CHECK(emit::prisma_undeclarable_reason(nulls_last).find("NULLS") != std::string::npos);
    CHECK(emit::prisma_undeclarable_reason(post_index()).empty());
}

TEST_CASE("prisma schema lines: the file beside the shop's Prisma migrations", "[prisma-schema]") {
    auto recs = test::shop_recommendations();
    emit::MigrationOptions options;
    options.layout = catalog::MigrationLayout::Prisma;
    options.timestamp = "20240229235958";
    const auto files = emit::render_migrations(recs, options);
    const emit::MigrationFile* lines = nullptr;
    for (const auto& f : files) {
        if (f.role == emit::FileRole::Schema) lines = &f;
        // Nothing but migrations inside prisma/migrations/.
        if (f.role == emit::FileRole::Up) CHECK_FALSE(f.beside_migrations);
        else CHECK(f.beside_migrations);
        if (f.role == emit::FileRole::Review) CHECK(f.relative_path.rfind("pgadvisor-review/", 0) == 0);
    }
    REQUIRE(lines);
    CHECK(lines->relative_path == "pgadvisor-review/schema.prisma.indexes");
    // The unique index on (cart_id, product_id) is declared under the name its migration gives it.
    const std::string unique_name = catalog::index_name(recs[2].index);
    CHECK(lines->content.find("model cart_items {\n  @@unique([cart_id, product_id], map: \"" + unique_name +
                              "\")\n}") != std::string::npos);
    // The partial and the expression index cannot be declared: listed, with what to do.
    CHECK(lines->content.find("- " + catalog::index_name(recs[0].index) + " on orders: a partial index") !=
          std::string::npos);
    CHECK(lines->content.find("- " + catalog::index_name(recs[1].index) + " on customers: an expression key") !=
          std::string::npos);
    CHECK(lines->content.find("--create-only") != std::string::npos);
}

TEST_CASE("prisma schema lines: review files and lines are written beside prisma/migrations", "[prisma-schema]") {
    std::string tmpl = (fs::temp_directory_path() / "pgadvisor-prisma-XXXXXX").string();
    const fs::path root = ::mkdtemp(tmpl.data());
    const auto dir = root / "prisma" / "migrations";
    emit::MigrationOptions options;
    options.layout = catalog::MigrationLayout::Prisma;
    options.timestamp = "20240229235958";
    auto result = emit::write_migrations(test::shop_recommendations(), dir.string() + "/", options);
    CHECK(result.errors.empty());
    for (const auto& entry : fs::directory_iterator(dir))  // every folder in it is a migration
        CHECK(fs::exists(entry.path() / "migration.sql"));
    CHECK(fs::exists(root / "prisma" / "pgadvisor-review" / "schema.prisma.indexes"));
    CHECK(fs::exists(root / "prisma" / "pgadvisor-review" / "upsert_cart_items_cart_id_product_id_key.sql"));
    fs::remove_all(root);
}
