#pragma once
// Where the schema comes from, as the commands take it (--db, --schema,
// --migrations, --assume-rows, --statement-timeout), and loading it.

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"

namespace pgadvisor::cli {

struct CatalogSource {
    std::string db;  // libpq URL or key=value string
    std::string schema_file;
    std::string migrations_dir;
    std::vector<std::string> assume_rows;  // TABLE=N
    double statement_timeout_s = 5;
    bool statement_timeout_given = false;  // on the command line (verify's default is longer)

    bool given() const { return !db.empty() || !schema_file.empty() || !migrations_dir.empty(); }
};

struct LoadedCatalog {
    std::optional<catalog::Catalog> catalog;
    bool live = false;
    std::string error;  // usage or connection problem: the command exits 2
};

// At most one source (exactly one when required). Offline DDL errors stay in
// catalog->errors (file:line) and do not fail the load.
LoadedCatalog load_catalog(const CatalogSource& source, const char* command, bool required);

}  // namespace pgadvisor::cli
