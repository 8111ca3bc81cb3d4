#pragma once
// The offline catalog: DDL text (pg_dump --schema-only output, hand-written
// schema files, migrations) applied statement by statement to a Catalog.
//
// Takes: SQL text. Gives: the Catalog those statements build. Statements that
// do not change the schema are passed over; one that does not parse or cannot
// be applied is a LoadError with file:line, and the rest is still read.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "catalog/catalog.hpp"

namespace pgadvisor::catalog {

struct OfflineOptions {
    // --assume-rows: "table" or "schema.table" -> rows.
    std::map<std::string, double> assume_rows;
    double default_rows = 1000;
};

// Apply the statements of one file to catalog (which may already hold the
// effect of earlier files, as for migrations). `file` names errors; text starts
// at line `first_line` of it (lint applies a file one statement at a time).
void apply_ddl(Catalog& catalog, std::string_view text, const std::string& file, int first_line = 1);

// apply_ddl over many calls on one catalog, keeping what it knows of the catalog's
// names between them (lint applies a file one statement at a time: a fresh lookup
// map per statement was quadratic). Only this applier may change the catalog's
// tables and indexes while it lives.
class DdlApplier {
public:
    explicit DdlApplier(Catalog& catalog);
    ~DdlApplier();
    DdlApplier(const DdlApplier&) = delete;
    DdlApplier& operator=(const DdlApplier&) = delete;
    void apply(std::string_view text, const std::string& file, int first_line = 1);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

// Offline row counts: --assume-rows where given, the default elsewhere, with a note.
void assume_rows(Catalog& catalog, const OfflineOptions& options);

// Read one DDL file into a fresh catalog. A file that cannot be read is a LoadError.
Catalog load_schema_file(const std::string& path, const OfflineOptions& options = {});

}  // namespace pgadvisor::catalog
