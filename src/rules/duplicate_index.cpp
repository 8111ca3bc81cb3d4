#include "rules/duplicate_index.hpp"

#include <fmt/core.h>

#include "rules/index_facts.hpp"
#include "sql/quote.hpp"

namespace pgadvisor::rules {
namespace {

using catalog::Index;
using catalog::Table;

// Same definition apart from uniqueness: a unique index answers every read a
// plain one with the same keys answers, so the plain one is the duplicate.
bool same_definition(const Index& a, const Index& b) {
    return a.method == b.method && a.keys == b.keys && a.predicate == b.predicate &&
           sorted(a.include) == sorted(b.include);
}

class DuplicateIndex : public Rule {
public:
    using Rule::Rule;

    void finish(const RuleInput& input, std::vector<Finding>& out) override {
        if (!input.catalog) return;
        const auto& cat = *input.catalog;
        const catalog::IndexesByTable by_table(cat);
        for (const auto& table : cat.tables) {
            if (is_partition(table)) continue;
            const auto& indexes = by_table.of(table);
            // Each index that an identical one is kept over is reported once, against the
            // best of its group (three copies: two findings naming the same kept index).
            for (const Index* drop : indexes) {
                const Index* keep = nullptr;
                for (const Index* other : indexes)
                    if (other != drop && same_definition(*drop, *other) && (!keep || keep_over(table, *other, *keep)))
                        keep = other;
                if (keep && keep_over(table, *keep, *drop)) report(cat, table, *keep, *drop, out);
            }
        }
    }

private:
    void report(const catalog::Catalog& cat, const Table& table, const Index& keep, const Index& drop,
                std::vector<Finding>& out) const {
        Finding f = make_finding();
        f.confidence = Confidence::High;
        f.title = fmt::format("index {} duplicates {} on {}", drop.name, keep.name, table.qualified_name());
        f.explanation = fmt::format(
            "{} and {} have the same method, keys, INCLUDE columns and predicate{}. Every write to {} "
            "updates both, and both take space and cache, while the planner can only use one of them for any read.",
            describe(drop), describe(keep),
            drop.unique == keep.unique
                ? ""
                : " (only the kept one is unique, and a unique index serves every read the other does)",
            table.qualified_name());
        if (backs_constraint(table, drop)) {
            // The duplicate is a constraint's index: drop the constraint, the other index keeps enforcing it.
            const std::string constraint_name = drop.name;
            f.fix = fmt::format(
                "Drop the constraint {} (its index duplicates {}, which enforces the same rule). Check first that "
                "no foreign key depends on it: PostgreSQL refuses the drop, or needs CASCADE, when one does.",
                constraint_name, keep.name);
            f.fix_sql = fmt::format("ALTER TABLE {} DROP CONSTRAINT {};",
                                    sql::quote_qualified(table.schema, table.name), sql::quote_ident(constraint_name));
            f.confidence = Confidence::Medium;
        } else {
            f.fix = fmt::format("Drop {} and keep {}.", drop.name, keep.name);  // the DROP: add_index_finding
        }
        add_index_finding(std::move(f), cat, table, drop, out);
    }
};

}  // namespace

std::unique_ptr<Rule> create_duplicate_index(const RuleConfig& config) {
    return std::make_unique<DuplicateIndex>(config);
}

}  // namespace pgadvisor::rules
