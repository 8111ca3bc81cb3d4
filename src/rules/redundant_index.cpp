#include "rules/redundant_index.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "rules/index_facts.hpp"

namespace pgadvisor::rules {
namespace {

using catalog::Index;
using catalog::Table;

// Identical definitions are duplicate-index's; this rule reports strict prefixes
// and same keys whose INCLUDE list the other index covers.
bool identical(const Index& a, const Index& b) {
    return a.method == b.method && a.keys == b.keys && a.predicate == b.predicate &&
           sorted(a.include) == sorted(b.include);
}

bool covers_include(const Index& narrow, const Index& wide) {
    for (const auto& col : narrow.include) {
        const bool in_keys = std::any_of(wide.keys.begin(), wide.keys.end(),
                                         [&](const catalog::IndexKey& k) { return k.column == col; });
        const bool in_include = std::find(wide.include.begin(), wide.include.end(), col) != wide.include.end();
        if (!in_keys && !in_include) return false;
    }
    return true;
}

// narrow is redundant with wide when wide can answer every scan narrow can:
// - both btree: a btree on (a, b) serves conditions and orderings on (a) alone;
//   other methods' multicolumn indexes do not serve a leading column as well;
// - the same predicate (a partial index on other rows is not redundant);
// - narrow's keys (column or expression, direction, nulls order) are the first keys of wide;
// - narrow's INCLUDE columns are keys or INCLUDE columns of wide (index-only scans keep working);
// - narrow enforces nothing: not unique (uniqueness on fewer columns is a stronger
//   rule the wider index does not enforce), not a constraint's index;
// - wide is valid (an invalid index serves no query).
bool redundant_with(const Table& table, const Index& narrow, const Index& wide) {
    if (&narrow == &wide || identical(narrow, wide)) return false;
    if (narrow.method != "btree" || wide.method != "btree") return false;
    if (narrow.predicate != wide.predicate) return false;
    if (narrow.unique || narrow.primary || backs_constraint(table, narrow)) return false;
    if (!wide.valid) return false;
    if (narrow.keys.size() > wide.keys.size()) return false;
    if (!std::equal(narrow.keys.begin(), narrow.keys.end(), wide.keys.begin())) return false;
    return covers_include(narrow, wide);
}

class RedundantIndex : public Rule {
public:
    using Rule::Rule;

    void finish(const RuleInput& input, std::vector<Finding>& out) override {
        if (!input.catalog) return;
        const auto& cat = *input.catalog;
        const catalog::IndexesByTable by_table(cat);
        for (const auto& table : cat.tables) {
            if (is_partition(table)) continue;
            const auto& indexes = by_table.of(table);
            for (std::size_t n = 0; n < indexes.size(); ++n) {
                const Index* narrow = indexes[n];
                // duplicate-index reports it: an identical index is kept over it.
                bool duplicate = false;
                for (std::size_t o = 0; o < indexes.size(); ++o)
                    if (o != n && identical(*narrow, *indexes[o]) && keep_over(table, *indexes[o], *narrow))
                        duplicate = true;
                if (duplicate) continue;
                // Name the widest index that covers it, so the finding is stable and the reason plain.
                const Index* best = nullptr;
                for (const Index* wide : indexes)
                    if (redundant_with(table, *narrow, *wide) && (!best || wide->keys.size() > best->keys.size()))
                        best = wide;
                if (best) report(cat, table, *narrow, *best, out);
            }
        }
    }

private:
    void report(const catalog::Catalog& cat, const Table& table, const Index& narrow, const Index& wide,
                std::vector<Finding>& out) const {
        Finding f = make_finding();
        f.confidence = Confidence::High;
        f.title = fmt::format("index {} is a prefix of {} on {}", narrow.name, wide.name, table.qualified_name());
        f.explanation = fmt::format(
            "{} has the leading keys of {} with the same method and predicate, and enforces no constraint: "
            "every scan it can do, the wider index can do too. Every write to {} still updates both.{}",
            describe(narrow), describe(wide), table.qualified_name(),
            narrow.size_bytes > 0 ? fmt::format(" It takes {} bytes.", narrow.size_bytes) : "");
        f.fix = fmt::format(
            "Drop {}. The wider index is somewhat larger per entry, so a query that only needs the leading "
            "columns may read a few more pages; that is rarely worth a second index.",
            narrow.name);
        add_index_finding(std::move(f), cat, table, narrow, out);
    }
};

}  // namespace

std::unique_ptr<Rule> create_redundant_index(const RuleConfig& config) {
    return std::make_unique<RedundantIndex>(config);
}

}  // namespace pgadvisor::rules
