#pragma once
// `pgadvisor schema --db URL | --schema FILE | --migrations DIR`: load the
// catalog (live or offline) and print it.

#include "cli/catalog_source.hpp"

namespace pgadvisor::cli {

struct SchemaOptions {
    CatalogSource catalog;
    bool json = false;
    bool show_literals = false;  // most-common values from pg_stats
};

int run_schema(const SchemaOptions& options);

}  // namespace pgadvisor::cli
