#pragma once
// `pgadvisor schema --db URL | --schema FILE | --migrations DIR`: load the
// catalog (live or offline) and print it.

#include <string>
#include <vector>

namespace pgadvisor::cli {

struct SchemaOptions {
    std::string db;          // libpq URL or key=value string
    std::string schema_file;
    std::string migrations_dir;
    bool json = false;
    bool show_literals = false;  // most-common values from pg_stats
    double statement_timeout_s = 5;
    std::vector<std::string> assume_rows;  // TABLE=N
};

int run_schema(const SchemaOptions& options);

}  // namespace pgadvisor::cli
