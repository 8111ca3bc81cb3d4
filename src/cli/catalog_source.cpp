#include "cli/catalog_source.hpp"

#include <fmt/core.h>

#include <cstdlib>

#include "catalog/ddl_loader.hpp"
#include "catalog/live_loader.hpp"
#include "catalog/migrations.hpp"

namespace pgadvisor::cli {

LoadedCatalog load_catalog(const CatalogSource& o, const char* command, bool required) {
    LoadedCatalog out;
    const int sources = !o.db.empty() + !o.schema_file.empty() + !o.migrations_dir.empty();
    if (sources > 1 || (required && sources != 1)) {
        out.error = fmt::format("pgadvisor {}: give {} of --db, --schema, --migrations", command,
                                required ? "exactly one" : "at most one");
        return out;
    }
    catalog::OfflineOptions offline;
    for (const auto& a : o.assume_rows) {
        const auto eq = a.rfind('=');
        char* end = nullptr;
        const double rows = eq == std::string::npos ? -1 : std::strtod(a.c_str() + eq + 1, &end);
        if (eq == std::string::npos || eq == 0 || end == a.c_str() + eq + 1 || *end != '\0' || rows < 0) {
            out.error = fmt::format(
                "pgadvisor {}: --assume-rows wants TABLE=N (a table name and a row count), got \"{}\"", command, a);
            return out;
        }
        offline.assume_rows[a.substr(0, eq)] = rows;
    }
    if (sources == 0) return out;
    if (!o.db.empty()) {
        if (!o.assume_rows.empty())
            fmt::print(stderr, "pgadvisor {}: --assume-rows applies offline only; the server's statistics are used\n",
                       command);
        catalog::LiveOptions live;
        live.conninfo = o.db;
        live.statement_timeout_ms = static_cast<int>(o.statement_timeout_s * 1000);
        auto r = catalog::load_live(live);
        if (!r.catalog) {
            out.error = fmt::format("pgadvisor {}: {}", command, r.error->message);
            return out;
        }
        out.catalog = std::move(*r.catalog);
        out.live = true;
    } else if (!o.schema_file.empty()) {
        out.catalog = catalog::load_schema_file(o.schema_file, offline);
    } else {
        out.catalog = catalog::load_migrations(o.migrations_dir, offline);
    }
    return out;
}

}  // namespace pgadvisor::cli
