#pragma once
// The schema.prisma lines that declare the indexes the Prisma migrations create.
//
// Prisma Migrate takes an index that schema.prisma does not declare for drift and
// drops it in the next `prisma migrate dev` (prisma/orm#12914). So beside the
// migrations pgadvisor writes, per model, the @@index / @@unique lines to add, each
// with map: equal to the index name in the migration (catalog::index_name) and
// DESC keys as sort: Desc. Indexes schema.prisma cannot declare (partial,
// expression keys, INCLUDE, other methods, operator classes, a NULLS order that
// is not the default) are listed with the reason and what to do instead.
//
// Takes: advise::Recommendations, and optionally the app's schema.prisma
// (catalog::PrismaSchema) to name models and fields through @@map / @map.
// Gives: the text of the file (docs/migrations.md, "Prisma: schema.prisma lines").

#include <string>
#include <vector>

#include "advise/recommendation.hpp"
#include "catalog/prisma_schema.hpp"

namespace pgadvisor::emit {

// Why schema.prisma cannot declare this index, or empty when it can.
std::string prisma_undeclarable_reason(const advise::IndexDefinition& index);

// The @@index([...], map: "...") or @@unique line for index, without indentation, or
// empty when it cannot be declared (prisma_undeclarable_reason) or schema has no field
// for one of its columns.
std::string prisma_index_line(const advise::IndexDefinition& index, const catalog::PrismaModel* model);

// The whole file; empty when no recommendation creates an index.
std::string prisma_schema_lines(const std::vector<advise::Recommendation>& recommendations,
                                const catalog::PrismaSchema* schema, const std::string& generated_by);

}  // namespace pgadvisor::emit
