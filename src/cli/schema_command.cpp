#include "cli/schema_command.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli/print_safe.hpp"
#include "catalog/catalog_json.hpp"
#include "cli/app.hpp"
#include "cli/catalog_source.hpp"
#include "sql/parser.hpp"
#include "sql/scanner.hpp"
#include "sql/text.hpp"

namespace pgadvisor::cli {
namespace {

using sql::join;

std::string key_text(const catalog::IndexKey& k, bool show_literals) {
    std::string out = k.column.empty() ? sql::shown_expression(k.expression, show_literals) : k.column;
    if (k.descending) out += " DESC";
    if (k.nulls_first != k.descending) out += k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
    return out;
}

void print_text(const catalog::Catalog& cat, bool show_literals) {
    print_safe("catalog: {}\n", cat.source);
    if (cat.server_version) print_safe("server: {}.{}\n", cat.server_version / 10000, cat.server_version % 10000);
    print_safe("search_path: {}\n", join(cat.search_path));
    std::size_t columns = 0;
    for (const auto& t : cat.tables) columns += t.columns.size();
    print_safe("{} tables, {} columns, {} indexes\n", cat.tables.size(), columns, cat.indexes.size());
    for (const auto& n : cat.notes) print_safe("note: {}\n", n);
    const catalog::IndexesByTable indexes(cat);
    for (const auto& t : cat.tables) {
        print_safe("\n{}{}{}  ~{} rows ({})\n", t.qualified_name(), t.partitioned ? " (partitioned)" : "",
                   t.partition_of.empty() ? "" : " (partition of " + t.partition_of + ")",
                   t.estimated_rows < 0 ? std::string("?") : fmt::format("{:.0f}", t.estimated_rows),
                   to_string(t.rows_source));
        if (t.seq_scan >= 0)
            print_safe("  activity     seq_scan={} idx_scan={} inserts={} updates={} deletes={}\n", t.seq_scan,
                       t.idx_scan < 0 ? 0 : t.idx_scan, t.inserts, t.updates, t.deletes);
        for (const auto& c : t.columns) {
            print_safe("  column       {} {}{}{}", c.name, c.type, c.not_null ? " NOT NULL" : "",
                       c.default_expr.empty() ? ""
                                              : " DEFAULT " + sql::shown_expression(c.default_expr, show_literals));
            if (c.stats) {
                print_safe("  [n_distinct={} null_frac={:.3f}", c.stats->n_distinct, c.stats->null_frac);
                if (c.stats->correlation) print_safe(" correlation={:.3f}", *c.stats->correlation);
                if (show_literals && !c.stats->most_common_values.empty())
                    print_safe(" mcv={}", join(c.stats->most_common_values, "|"));
                else if (!c.stats->most_common_values.empty())
                    print_safe(" mcv: {} values", c.stats->most_common_values.size());
                print_safe("]");
            }
            print_safe("\n");
        }
        for (const auto* i : indexes.of(t)) {
            std::vector<std::string> keys;
            for (const auto& k : i->keys) keys.push_back(key_text(k, show_literals));
            print_safe("  index        {} {}{}{} ({}){}{}{}{}\n", i->name, i->method, i->unique ? " UNIQUE" : "",
                       i->primary ? " PRIMARY" : "", join(keys),
                       i->include.empty() ? "" : " INCLUDE (" + join(i->include) + ")",
                       i->predicate.empty() ? "" : " WHERE " + sql::shown_expression(i->predicate, show_literals),
                       i->valid ? "" : " INVALID",
                       i->size_bytes < 0 ? "" : fmt::format("  size={} idx_scan={}", i->size_bytes, i->idx_scan));
        }
        for (const auto& c : t.constraints)
            print_safe("  constraint   {} {} ({}){}\n", c.name, to_string(c.kind), join(c.columns),
                       c.kind == catalog::ConstraintKind::ForeignKey
                           ? fmt::format(" -> {}.{} ({})", c.ref_schema, c.ref_table, join(c.ref_columns))
                           : "");
    }
}

}  // namespace

int run_schema(const SchemaOptions& o) {
    auto loaded = load_catalog(o.catalog, "schema", /*required=*/true);
    if (!loaded.catalog) {
        fmt::print(stderr, "{}\n", loaded.error);
        return kExitUsage;
    }
    const catalog::Catalog& cat = *loaded.catalog;

    for (const auto& e : cat.errors) fmt::print(stderr, "{}:{}: error: {}\n", e.file, e.line, e.message);
    if (o.json) fmt::print("{}\n", catalog::to_json(cat, o.show_literals).dump(2));
    else print_text(cat, o.show_literals);
    if (!cat.errors.empty())
        fmt::print(stderr, "pgadvisor schema: {} statement(s) could not be read; the rest was loaded\n",
                   cat.errors.size());
    // Last: printing masks constants with libpg_query's scanner, which must not run after this.
    sql::release_parser_memory_on_main_thread();
    return cat.tables.empty() && !cat.errors.empty() ? kExitUsage : kExitOk;
}

}  // namespace pgadvisor::cli
