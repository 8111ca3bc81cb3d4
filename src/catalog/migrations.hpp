#pragma once
// A migrations folder read in the order its tool applies it, then applied as
// DDL (ddl_loader.hpp) to one catalog.
//
// Layouts, detected from the folder's contents:
//   Prisma          <timestamp>_<name>/migration.sql      by folder name
//   Flyway          V<version>__<desc>.sql, R__<desc>.sql versioned by version (1.10 after 1.9),
//                                                          then repeatable by description; U (undo) skipped
//   golang-migrate  <version>_<name>.up.sql               by version number; .down.sql skipped
//   plain           *.sql                                  by file name (byte order)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/ddl_loader.hpp"

namespace pgadvisor::catalog {

// The one migration layout type: read here, written by emit/migrations.hpp. Django's and
// Alembic's migrations are Python, Rails' Ruby, Knex's JavaScript, which only their tools read: written, never detected here.
enum class MigrationLayout { Plain, Flyway, GolangMigrate, Prisma, Django, Alembic, Rails, Knex };
const char* to_string(
    MigrationLayout);  // "plain", "flyway", "golang-migrate", "prisma", "django", "alembic", "rails", "knex"
std::optional<MigrationLayout> migration_layout_from_string(std::string_view);  // to_string's inverse

struct MigrationPlan {
    MigrationLayout layout = MigrationLayout::Plain;
    std::vector<std::string> files;    // full paths, in apply order
    std::vector<std::string> skipped;  // down/undo migrations and files the layout does not apply
    std::vector<LoadError> errors;     // unreadable folder
};

MigrationPlan plan_migrations(const std::string& dir);

// Apply every migration of dir, in order, to a fresh catalog.
Catalog load_migrations(const std::string& dir, const OfflineOptions& options = {});

}  // namespace pgadvisor::catalog
