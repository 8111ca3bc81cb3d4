#include "emit/prisma_schema_lines.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "catalog/index_sql.hpp"
#include "sql/text.hpp"

namespace pgadvisor::emit {
namespace {

using advise::IndexDefinition;
using advise::Recommendation;

// A Prisma string literal: backslash and double quote escaped.
std::string prisma_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

bool creates_index(const Recommendation& rec) {
    return rec.kind == advise::RecommendationKind::CreateIndex ||
           rec.kind == advise::RecommendationKind::CreateUniqueIndex;
}

// The model's name for table: @@map'ed in schema.prisma, else the table's own name
// (what `prisma db pull` names a model whose table name is a valid identifier).
std::string model_name(const IndexDefinition& index, const catalog::PrismaModel* model) {
    return model ? model->name : index.table;
}

// A field name for each key column, through @map when schema.prisma is given; none
// when a column has no field there.
std::optional<std::vector<std::string>> key_fields(const IndexDefinition& index, const catalog::PrismaModel* model) {
    std::vector<std::string> fields;
    for (const auto& key : index.keys) {
        std::string field = key.column;
        if (model) {
            const auto* f = model->field_for_column(key.column);
            if (!f) return std::nullopt;
            field = f->name;
        }
        fields.push_back(key.descending ? field + "(sort: Desc)" : field);
    }
    return fields;
}

// Whether each key column has a field in model (always, without a schema).
std::string missing_field(const IndexDefinition& index, const catalog::PrismaModel* model) {
    if (!model) return "";
    for (const auto& key : index.keys)
        if (!model->field_for_column(key.column)) return key.column;
    return "";
}

const char* kKeepInMigration =
    "Keep each in its migration (Prisma's documented way for what schema.prisma cannot express: a customized "
    "migration). When `prisma migrate dev` next proposes a migration that drops it, create that migration with "
    "`--create-only`, delete its DROP INDEX, then apply it.";

}  // namespace

std::string prisma_undeclarable_reason(const IndexDefinition& index) {
    if (!index.predicate.empty())
        return std::string("a partial index (WHERE ") + index.predicate +
               "): schema.prisma declares one only with the where: argument of Prisma versions that have it (the "
               "partialIndexes preview feature; see your version's docs on indexes)";
    if (!index.include.empty()) return "INCLUDE columns: schema.prisma has no way to declare them";
    if (index.method != "btree") return std::string("index method ") + index.method + ": not declared by pgadvisor";
    for (const auto& key : index.keys) {
        if (!key.expression.empty())
            return std::string("an expression key (") + key.expression + "): schema.prisma declares columns only";
        if (!key.opclass.empty()) return std::string("operator class ") + key.opclass + ": not declared by pgadvisor";
        if (key.nulls_first != key.descending) return "a NULLS order that is not the default: schema.prisma has none";
    }
    return "";
}

std::string prisma_index_line(const IndexDefinition& index, const catalog::PrismaModel* model) {
    if (!prisma_undeclarable_reason(index).empty()) return "";
    auto fields = key_fields(index, model);
    if (!fields) return "";
    return fmt::format("{}([{}], map: {})", index.unique ? "@@unique" : "@@index", sql::join(*fields),
                       prisma_string(catalog::index_name(index)));
}

std::string prisma_schema_lines(const std::vector<Recommendation>& recommendations, const catalog::PrismaSchema* schema,
                                const std::string& generated_by) {
    std::vector<std::string> models;  // in the order of the recommendations
    std::vector<std::vector<std::string>> lines;
    std::vector<std::string> undeclarable;
    for (const auto& rec : recommendations) {
        if (!creates_index(rec)) continue;
        const auto& index = rec.index;
        const catalog::PrismaModel* model = schema ? schema->model_for_table(index.table) : nullptr;
        std::string reason = prisma_undeclarable_reason(index);
        if (reason.empty() && schema && !model)
            reason = std::string("no model in ") + schema->file + " maps to table " + index.table;
        if (const std::string column = missing_field(index, model); reason.empty() && !column.empty())
            reason = std::string("no field of model ") + model->name + " maps to column " + column;
        if (!reason.empty()) {
            undeclarable.push_back(fmt::format("{} on {}: {}.", catalog::index_name(index), index.table, reason));
            continue;
        }
        const std::string name = model_name(index, model);
        auto at = std::find(models.begin(), models.end(), name);
        if (at == models.end()) {
            models.push_back(name);
            lines.emplace_back();
            at = models.end() - 1;
        }
        lines[static_cast<std::size_t>(at - models.begin())].push_back(prisma_index_line(index, model));
    }
    if (models.empty() && undeclarable.empty()) return "";
    std::string out = std::string("// ") + generated_by +
                      " Not a migration, not a schema file: lines for schema.prisma.\n";
    out += "// Prisma Migrate drops an index that schema.prisma does not declare (prisma/orm#12914). Add each\n";
    out += "// line below inside its model, so that it keeps the indexes the migrations beside create; map: is\n";
    out += "// the index name in the migration, so Prisma finds the index it declares, not drift.\n";
    if (!schema) out += "// Model and field names are the table and column names (no --prisma-schema given).\n";
    for (std::size_t i = 0; i < models.size(); ++i) {
        out += std::string("\nmodel ") + models[i] + " {\n";
        for (const auto& line : lines[i]) out += std::string("  ") + line + "\n";
        out += "}\n";
    }
    if (!undeclarable.empty()) {
        out += "\n// Not declared here:\n";
        for (const auto& u : undeclarable) out += std::string("// - ") + u + "\n";
        out += std::string("// ") + kKeepInMigration + "\n";
    }
    return out;
}

}  // namespace pgadvisor::emit
