#include "rules/unused_index.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "rules/index_facts.hpp"
#include "rules/live_plans.hpp"

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

bool plannable(const workload::ShapeInfo& s) {
    if (!s.shape || s.normalized.empty()) return false;
    const auto k = s.shape->kind;
    return k == sql::StatementKind::Select || k == sql::StatementKind::Insert || k == sql::StatementKind::Update ||
           k == sql::StatementKind::Delete || k == sql::StatementKind::Merge;
}

// The indexes the analysed workload's own statements use, read from their plans:
// the plans the inputs carried (auto_explain, EXPLAIN files) and, with --db, plain
// EXPLAIN of every statement shape with its logged values. idx_scan = 0 after a
// statistics reset, or on this server only, says nothing against these.
struct WorkloadUse {
    std::vector<std::string> indexes;      // names, as plans give them (unqualified)
    long long shapes = 0, statements = 0;  // shapes whose plans were read, and their logged calls
    long long ingested = 0, live = 0;      // plans read from the inputs / planned live
    long long unplanned_shapes = 0;        // plannable shapes with no plan at all
    std::string connection_error;
};

WorkloadUse workload_use(const workload::Workload& w, const std::string& conninfo, int statement_timeout_ms) {
    WorkloadUse use;
    std::set<const workload::ShapeInfo*> read;
    std::vector<const workload::ShapeInfo*> to_plan;
    for (const auto& s : w.shapes) {
        if (s.plan) {
            plan_index_names(s.plan->root, use.indexes);
            read.insert(&s);
            ++use.ingested;
        }
        // Every shape, also one with a logged plan: that is its slowest call, other values may take another index.
        if (plannable(s)) to_plan.push_back(&s);
    }
    for (const auto& p : w.standalone_plans) {
        plan_index_names(p->root, use.indexes);
        ++use.ingested;
    }
    if (!conninfo.empty() && !to_plan.empty()) {
        const auto live = explain_shapes(to_plan, conninfo, std::min(2000, statement_timeout_ms), 3);
        use.connection_error = live.connection_error;
        for (const auto& planned : live.plans) {
            plan_index_names(planned.plan.root, use.indexes);
            read.insert(planned.shape);
            ++use.live;
        }
    }
    for (const auto* s : to_plan)
        if (!read.count(s)) ++use.unplanned_shapes;
    use.shapes = static_cast<long long>(read.size());
    for (const auto* s : read) use.statements += s->stats.calls;
    return use;
}

std::string checked_text(const WorkloadUse& use, bool has_workload, bool live) {
    if (!has_workload)
        return " No workload was given, so no statement's plan was checked: give the log that ran on this server "
               "(with --db its statements are planned) to make sure none of them uses it.";
    std::string out = fmt::format(
        " None of the plans of the analysed workload's statements uses it: {} statement shape(s), {} logged "
        "statement(s), checked ({} plan(s) from the inputs, {} planned live with their logged values).",
        use.shapes, use.statements, use.ingested, use.live);
    if (use.unplanned_shapes > 0)
        out += fmt::format(" {} shape(s) could not be checked ({}): one of them may still use it.",
                           use.unplanned_shapes,
                           !live ? "no plan in the inputs; with --db they are planned"
                                 : (use.connection_error.empty()
                                        ? "no complete logged parameter set, or the server refused them"
                                        : "the server could not be reached"));
    return out;
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
        std::vector<std::pair<const Index*, const catalog::Constraint*>> unused;
        for (const auto& index : cat.indexes) {
            if (index.idx_scan != 0 || !index.valid || index.unique || index.primary) continue;
            const Table* table = cat.find_table(index.schema, index.table);
            if (!table || is_partition(*table) || backs_constraint(*table, index)) continue;
            if (index.size_bytes >= 0 && index.size_bytes < min_size_bytes_) continue;
            const catalog::Constraint* fk = fk_served(*table, index);
            if (fk && ignore_fk_indexes_) continue;
            unused.emplace_back(&index, fk);
        }
        if (unused.empty()) return;
        // Only now plan the workload: most runs have nothing to check.
        WorkloadUse use;
        if (input.workload) use = workload_use(*input.workload, input.conninfo, input.statement_timeout_ms);
        const std::string checked = checked_text(use, input.workload != nullptr, !input.conninfo.empty());
        for (const auto& [index, fk] : unused) {
            // A plan of the workload's own statements uses it: never advise dropping it.
            if (std::find(use.indexes.begin(), use.indexes.end(), index->name) != use.indexes.end()) continue;
            report(cat, *cat.find_table(index->schema, index->table), *index, fk, checked, use.unplanned_shapes > 0,
                   out);
        }
    }

private:
    void report(const catalog::Catalog& cat, const Table& table, const Index& index, const catalog::Constraint* fk,
                const std::string& checked, bool unchecked, std::vector<Finding>& out) const {
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
        // A statement of the workload that could not be planned may be the one that uses it.
        if (unchecked) f.confidence = Confidence::Low;
        f.title = fmt::format("index {} on {} has never been scanned", index.name, table.qualified_name());
        f.explanation = fmt::format(
            "The server's statistics show idx_scan = 0 for {}{}: no query has used it, yet every write to {} "
            "updates it. {} The count is per server: a replica that serves reads keeps its own.{}{}",
            describe(index), index.size_bytes >= 0 ? fmt::format(" ({} bytes)", index.size_bytes) : "",
            table.qualified_name(), since, checked,
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
