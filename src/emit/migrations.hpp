#pragma once
// Migration files from Recommendations, in the layout of the user's tool.
//
// Takes: advise::Recommendations. Gives: file contents (render_migrations,
// pure, for golden tests) and the files on disk (write_migrations: atomic,
// never over an existing file).
//
// Each up file: a header comment (rule, evidence as normalized statements with
// calls and times, estimated gain and its method, write cost), the duplicates
// check before a unique index, CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS,
// and a note (plus the tool's own directive where it has one) that
// CONCURRENTLY cannot run inside a transaction. Each down file drops what its
// up file made. RewriteStatement recommendations (the batched N+1 statement,
// the UPSERT) become review files for the application code, not migrations.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "advise/recommendation.hpp"
#include "catalog/migrations.hpp"
#include "catalog/prisma_schema.hpp"
#include "emit/alembic_migration.hpp"
#include "emit/django_migration.hpp"
#include "emit/knex_migration.hpp"
#include "emit/rails_migration.hpp"

namespace pgadvisor::emit {

// The files written per layout (catalog::MigrationLayout, the same layouts the
// catalog reads back):
// plain:          NNNN_name.sql + NNNN_name.down.sql
// flyway:         V<ts>__name.sql + U<ts>__name.sql
// golang-migrate: <ts>_name.up.sql + <ts>_name.down.sql
// prisma:         <ts>_name/migration.sql (Prisma has no down files: the down SQL goes in a comment)
// django:         NNNN_name.py (emit/django_migration.hpp; its reverse is in the same file)
// alembic:        <ts>_name.py, revision <ts> (emit/alembic_migration.hpp; upgrade and downgrade)
// rails:          <ts>_name.rb (emit/rails_migration.hpp; up and down)
// knex:           <ts>_name.js (emit/knex_migration.hpp; up and down)
// Review files go to review/ under the output folder; with Prisma, which takes every folder
// in prisma/migrations for a migration, to pgadvisor-review/ beside it, with the schema.prisma
// lines (emit/prisma_schema_lines.hpp) in pgadvisor-review/schema.prisma.indexes.
struct MigrationOptions {
    catalog::MigrationLayout layout = catalog::MigrationLayout::Plain;
    // UTC timestamp YYYYMMDDHHMMSS for the layouts that use one; each file after
    // the first gets the next second. Empty: now. Tests pass a fixed one.
    std::string timestamp;
    int first_number = 1;      // plain, django: NNNN of the first file (write_migrations continues after existing ones)
    std::string tool_version;  // in the header
    // Prisma: the app's schema.prisma (--prisma-schema), to name models and fields in the
    // schema.prisma lines through @@map / @map; none: table and column names.
    const catalog::PrismaSchema* prisma_schema = nullptr;
    // Django: the app whose migrations folder the files go to (write_migrations reads it from
    // the output folder when its label is empty): dependencies and models.
    DjangoApp django;
    // Alembic: the head revision of the versions folder, the first file's down_revision
    // (write_migrations reads it from the output folder when empty; none: the first revision).
    std::string alembic_head;
};

// Whether text is a MigrationOptions::timestamp: 14 digits YYYYMMDDHHMMSS that
// name a real UTC second (not 20261301000000, not 20260230120000).
bool is_valid_timestamp(std::string_view text);

enum class FileRole { Up, Down, Review, Schema };  // Schema: the schema.prisma lines
const char* to_string(FileRole);

struct MigrationFile {
    std::string relative_path;  // under the output directory, '/' separated
    std::string content;
    // Under the output directory's parent instead (Prisma's review files and schema lines:
    // never inside prisma/migrations/).
    bool beside_migrations = false;
    FileRole role = FileRole::Up;
    std::size_t recommendation = 0;  // index into the recommendations given
    // The SQL the file runs when it is not SQL itself (Django): parsed back before it is written.
    std::string sql{};
};

// Deterministic for the same recommendations and options.
std::vector<MigrationFile> render_migrations(const std::vector<advise::Recommendation>& recommendations,
                                             const MigrationOptions& options);

struct WrittenFile {
    std::string path;  // out_dir joined with relative_path
    FileRole role = FileRole::Up;
    std::size_t recommendation = 0;
};

struct WriteResult {
    std::vector<WrittenFile> written;
    std::vector<std::string> errors;  // per file: path and reason; other files are still written
    // Recommendations whose index a migration already in the folder creates (by name): not
    // written again, so a second run into the same folder adds only what is new.
    std::vector<std::string> skipped;
    std::vector<std::string> notes;  // e.g. temporary files an interrupted run left, removed
};

// Renders into out_dir (created when missing). Every statement of every file is parsed
// back with libpg_query first: a file holding one that does not parse is not written
// (reported in errors, with its down file), never half-right SQL on disk. Plain layout numbers after the highest
// NNNN_ already there; a file that exists is never overwritten (reported in errors).
WriteResult write_migrations(const std::vector<advise::Recommendation>& recommendations, const std::string& out_dir,
                             MigrationOptions options);

}  // namespace pgadvisor::emit
