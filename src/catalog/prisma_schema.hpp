#pragma once
// The names a Prisma schema (schema.prisma) gives the tables and columns it maps:
// each model's name and table (@@map), each scalar field's name and column (@map).
//
// Takes: the text of a schema.prisma. Gives: PrismaSchema, so that the index lines
// emit writes for schema.prisma (emit/prisma_schema_lines.hpp) name models and fields,
// not tables and columns. Reads only `model` blocks and the two map attributes; it is
// not a validator (Prisma's own `prisma validate` is).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace pgadvisor::catalog {

struct PrismaField {
    std::string name;    // the field as schema.prisma names it
    std::string column;  // @map("..."), else the field's name
};

struct PrismaModel {
    std::string name;   // the model as schema.prisma names it
    std::string table;  // @@map("..."), else the model's name
    std::vector<PrismaField> fields;

    // The field stored in column, or none (a relation field has no column).
    const PrismaField* field_for_column(std::string_view column) const;
};

struct PrismaSchema {
    std::string file;
    std::vector<PrismaModel> models;
    std::vector<LoadError> errors;  // the file unreadable

    const PrismaModel* model_for_table(std::string_view table) const;
};

PrismaSchema parse_prisma_schema(std::string_view text, std::string file = "schema.prisma");
PrismaSchema read_prisma_schema(const std::string& path);

}  // namespace pgadvisor::catalog
