#include "rules/unused_index.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "rules/index_facts.hpp"

namespace pgadvisor::rules {
namespace {

using catalog::Index;
using catalog::Table;

// The leading plain columns of the index are exactly a foreign key's columns:
// it is what makes that key's checks cheap, and a DELETE on the referenced
// table may be rare enough that idx_scan is still 0.
const catalog::Constraint* fk_served(const Table& table, const Index& index) {
    for (const auto& c : table.constraints) {
        if (c.kind != catalog::ConstraintKind::ForeignKey || c.columns.empty() || index.keys.size() < c.columns.size())
            continue;
        std::set<std::string> leading;
        for (std::size_t i = 0; i < c.columns.size(); ++i) leading.insert(index.keys[i].column);
        if (leading == std::set<std::string>(c.columns.begin(), c.columns.end())) return &c;
    }
    return nullptr;
}

class UnusedIndex : public Rule {
public:
    explicit UnusedIndex(const RuleConfig& config)
        : Rule(config),
          min_size_bytes_(config.integer("min_size_bytes")),
          min_stats_age_days_(config.number("min_stats_age_days")),
          ignore_fk_indexes_(config.flag("ignore_fk_indexes")) {}

    void finish(const RuleInput& input, std::vector<Finding>& out) override {
        // idx_scan only means something when it was read from the server that ran the workload.
        if (!input.catalog || !input.catalog_is_live) return;
        const auto& cat = *input.catalog;
        for (const auto& index : cat.indexes) {
            if (index.idx_scan != 0 || !index.valid || index.unique || index.primary) continue;
            const Table* table = cat.find_table(index.schema, index.table);
            if (!table || is_partition(*table) || backs_constraint(*table, index)) continue;
            if (index.size_bytes >= 0 && index.size_bytes < min_size_bytes_) continue;
            const catalog::Constraint* fk = fk_served(*table, index);
            if (fk && ignore_fk_indexes_) continue;
            report(cat, *table, index, fk, out);
        }
    }

private:
    void report(const catalog::Catalog& cat, const Table& table, const Index& index, const catalog::Constraint* fk,
                std::vector<Finding>& out) const {
        Finding f = make_finding();
        const double age = cat.stats_age_days;
        std::string since;
        if (age < 0) {
            f.confidence = Confidence::Medium;
            since = "It is not known how long the statistics have been collected.";
        } else {
            f.confidence = age >= min_stats_age_days_ ? Confidence::High : Confidence::Low;
            since = fmt::format("The statistics have been collected for {:.1f} days ({}){}.", age, cat.stats_since,
                                age >= min_stats_age_days_
                                    ? ""
                                    : fmt::format(", less than {:g} days: a weekly or monthly job may not have run yet",
                                                  min_stats_age_days_));
        }
        f.title = fmt::format("index {} on {} has never been scanned", index.name, table.qualified_name());
        f.explanation = fmt::format(
            "The server's statistics show idx_scan = 0 for {}{}: no query has used it, yet every write to {} "
            "updates it. {} The count is per server: a replica that serves reads keeps its own.{}",
            describe(index), index.size_bytes >= 0 ? fmt::format(" ({} bytes)", index.size_bytes) : "",
            table.qualified_name(), since,
            fk ? fmt::format(" It serves the foreign key {}: after dropping it, fk-without-index will report that key.",
                             fk->name)
               : "");
        f.fix = fmt::format(
            "Check the other servers and a full business cycle, then drop {}. Keep its definition to recreate it "
            "(concurrently) if a query needs it again.",
            index.name);
        add_index_finding(std::move(f), cat, table, index, out);
    }

    std::int64_t min_size_bytes_;
    double min_stats_age_days_;
    bool ignore_fk_indexes_;
};

}  // namespace

std::unique_ptr<Rule> create_unused_index(const RuleConfig& config) { return std::make_unique<UnusedIndex>(config); }

}  // namespace pgadvisor::rules
