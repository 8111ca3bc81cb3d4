#include "rules/fk_without_index.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "catalog/index_serves.hpp"
#include "rules/index_facts.hpp"
#include "sql/text.hpp"

namespace pgadvisor::rules {
namespace {

using catalog::Constraint;
using catalog::Index;
using catalog::Table;

// An index serves the foreign key's lookups (a DELETE or key UPDATE on the
// referenced table searches the referencing rows by these columns, and so do
// joins) when it serves an equality on every key column as a whole
// (catalog/index_serves.hpp): its first n keys are the n columns, in any order.
bool serves(const Index& index, const std::vector<std::string>& columns) {
    catalog::IndexAccess access;
    for (const auto& c : columns) access.equality.push_back(catalog::column_key(c));
    return catalog::index_serves(index, access, catalog::ServeDepth::Whole);
}

class FkWithoutIndex : public Rule {
public:
    explicit FkWithoutIndex(const RuleConfig& config)
        : Rule(config), min_rows_(static_cast<double>(config.integer("min_rows"))) {}

    void finish(const RuleInput& input, std::vector<Finding>& out) override {
        if (!input.catalog) return;
        const auto& cat = *input.catalog;
        const catalog::IndexesByTable by_table(cat);
        for (const auto& table : cat.tables) {
            if (is_partition(table)) continue;  // the parent's key and indexes are the ones to change
            // A table known (from statistics) to be small: a scan of it is cheap.
            if (table.rows_source == catalog::RowsSource::Statistics && table.estimated_rows >= 0 &&
                table.estimated_rows < min_rows_)
                continue;
            const auto& indexes = by_table.of(table);
            for (const auto& c : table.constraints) {
                if (c.kind != catalog::ConstraintKind::ForeignKey || c.columns.empty()) continue;
                const bool served = std::any_of(indexes.begin(), indexes.end(),
                                                [&](const Index* i) { return serves(*i, c.columns); });
                if (!served) report(cat, table, c, out);
            }
        }
    }

private:
    void report(const catalog::Catalog& cat, const Table& table, const Constraint& c, std::vector<Finding>& out) const {
        Finding f = make_finding();
        f.confidence = Confidence::Medium;  // harmless when the referenced rows are never deleted or re-keyed
        f.schema = table.schema;
        f.table = table.name;
        const std::string cols = sql::join(c.columns);
        f.title = fmt::format("foreign key {} on {} ({}) has no index", c.name, table.qualified_name(), cols);
        f.explanation = fmt::format(
            "No index on {} starts with ({}). Each DELETE of a row of {}.{}, or UPDATE of its key, makes "
            "PostgreSQL look for referencing rows in {} by these columns: without an index that is a "
            "sequential scan of {} per row, under a lock. Joins from {} to {} on the key pay the same.",
            table.qualified_name(), cols, c.ref_schema, c.ref_table, table.qualified_name(), table.qualified_name(),
            c.ref_table, table.name);
        f.fix = fmt::format("Create an index on {} ({}), concurrently so writes go on while it builds.",
                            table.qualified_name(), cols);
        IndexNeed need;
        need.schema = table.schema;
        need.table = table.name;
        need.equality_columns = c.columns;
        f.fix_sql = create_index_fix_sql(&cat, index_for_need(need));
        f.index_needs.push_back(std::move(need));
        f.locations.push_back({cat.source, 0, 0});
        f.key = table.schema + "." + table.name + "." + c.name;
        out.push_back(std::move(f));
    }

    double min_rows_;
};

}  // namespace

std::unique_ptr<Rule> create_fk_without_index(const RuleConfig& config) {
    return std::make_unique<FkWithoutIndex>(config);
}

}  // namespace pgadvisor::rules
