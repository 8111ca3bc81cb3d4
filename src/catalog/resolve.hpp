#pragma once
// Resolution: a statement's QueryShape (src/sql) against the catalog. Every
// table reference becomes a catalog table and every column reference a
// catalog column, or a "schema mismatch" note on the statement (not a failure:
// the log may come from another version of the schema).
//
// Takes: sql::QueryShape, Catalog, search_path. Gives: Resolution.
// Also the one lookup of a table by its name as written (resolve_table).

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "sql/query_shape.hpp"

namespace pgadvisor::catalog {

enum class ColumnRole { Predicate, Join, OrderBy, GroupBy, Insert, Set };
const char* to_string(ColumnRole);

struct ResolvedColumn {
    ColumnRole role = ColumnRole::Predicate;
    std::string column;  // as written in the statement
    int table_ref = -1;  // index into QueryShape::tables; -1 when not found
    const Table* table = nullptr;
    const Column* catalog_column = nullptr;  // nullptr: see Resolution::notes
};

struct Resolution {
    // Parallel to QueryShape::tables: the catalog table, nullptr when unknown.
    std::vector<const Table*> tables;
    std::vector<ResolvedColumn> columns;
    // "schema mismatch: ..." lines for the statement; empty when everything resolved.
    std::vector<std::string> notes;

    bool mismatch() const { return !notes.empty(); }
};

// A table named as a statement writes it: schema-qualified, else the first
// schema of search_path that has it (as PostgreSQL does, pg_catalog aside).
// nullptr when the catalog does not have it. Every stage looks tables up here,
// so an unqualified name means the same table everywhere.
const Table* resolve_table(const Catalog& catalog, const std::string& schema, const std::string& name,
                           const std::vector<std::string>& search_path);
// The same along the catalog's own search_path.
const Table* resolve_table(const Catalog& catalog, const std::string& schema, const std::string& name);

// The catalog's pointers stay valid as long as the catalog is not modified.
Resolution resolve(const sql::QueryShape& shape, const Catalog& catalog, const std::vector<std::string>& search_path);

}  // namespace pgadvisor::catalog
