#include "advise/gain_model.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace pgadvisor::advise {
namespace {

double loops_of(const ingest::PlanNode& n) { return n.actual_loops.value_or(1); }
// Wall time spent in a node. Below a Gather the loops are the workers and the
// leader running at once: their per-loop time is already wall time.
double inclusive_ms(const ingest::PlanNode& n, bool in_parallel) {
    return n.actual_total_ms.value_or(0) * (in_parallel || n.parallel_aware ? 1 : loops_of(n));
}

bool is_gather(const ingest::PlanNode& n) { return n.node_type == "Gather" || n.node_type == "Gather Merge"; }

bool is_seq_scan_of(const ingest::PlanNode& n, const std::string& table) {
    return n.relation == table && ingest::is_seq_scan(n);
}

struct Saved {
    double scan_ms = 0;   // time in the scans (and sorts) an index replaces
    double index_ms = 0;  // what index lookups for the same rows would take
    double rows = 0;
    double loops = 0;
    int nodes = 0;
};

// The Seq Scan of `table` a Gather runs in parallel, when that is all it runs
// (through Sorts and the like, but no other scan or join): an index scan
// replaces the whole parallel section, worker start-up included.
const ingest::PlanNode* sole_parallel_scan(const ingest::PlanNode& gather, const std::string& table) {
    const ingest::PlanNode* n = &gather;
    while (n->children.size() == 1) {
        n = &n->children.front();
        if (is_seq_scan_of(*n, table)) return n->children.empty() ? n : nullptr;
    }
    return nullptr;
}

void walk(const ingest::PlanNode& n, const std::string& table, bool wants_order, const CostModel& m, Saved& s,
          bool in_parallel = false) {
    if (is_gather(n) && n.actual_total_ms)
        if (const ingest::PlanNode* scan = sole_parallel_scan(n, table); scan && scan->actual_total_ms) {
            const double rows = scan->actual_rows.value_or(0) * loops_of(*scan);
            s.scan_ms += inclusive_ms(n, in_parallel);
            s.index_ms += m.descent_ms + rows * m.fetch_row_ms;
            s.rows += rows;
            s.loops += 1;
            ++s.nodes;
            return;
        }
    if (is_seq_scan_of(n, table) && n.actual_total_ms) {
        const double rows = n.actual_rows.value_or(0) * loops_of(n);
        // One lookup per execution of the statement's node; parallel workers share one scan.
        const double loops = in_parallel || n.parallel_aware ? 1 : loops_of(n);
        s.scan_ms += inclusive_ms(n, in_parallel);
        s.index_ms += loops * m.descent_ms + rows * m.fetch_row_ms;
        s.rows += rows;
        s.loops += loops;
        ++s.nodes;
        return;
    }
    // A Sort fed straight by such a scan: the index gives the order, the Sort's own time goes too.
    if (wants_order && n.node_type == "Sort" && n.actual_total_ms && n.children.size() == 1 &&
        is_seq_scan_of(n.children.front(), table) && n.children.front().actual_total_ms)
        s.scan_ms += std::max(0.0, inclusive_ms(n, in_parallel) - inclusive_ms(n.children.front(), in_parallel));
    for (const auto& c : n.children) walk(c, table, wants_order, m, s, in_parallel || is_gather(n));
}

double selectivity(const Candidate& c, const CostModel& m, std::string& how) {
    double sel = 1;
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < c.filter_keys && i < c.index.keys.size(); ++i) {
        const auto& k = c.index.keys[i];
        const bool equality = i < c.equality_keys;
        double s = equality ? m.default_eq_selectivity : m.default_range_selectivity;
        const char* src = "default";
        if (equality && c.table && !k.column.empty())
            if (const catalog::Column* col = c.table->column(k.column);
                col && col->stats && col->stats->n_distinct != 0) {
                const double nd = col->stats->n_distinct > 0 ? col->stats->n_distinct
                                                             : -col->stats->n_distinct * c.table->estimated_rows;
                if (nd >= 1) s = 1 / nd, src = "1/n_distinct";
            }
        sel *= s;
        parts.push_back(fmt::format("{} {:.3g} ({})", k.expression.empty() ? k.column : k.expression, s, src));
    }
    // A partial index holds only the rows its predicate keeps: those are all it reads.
    if (c.predicate_fraction < 1) {
        sel *= c.predicate_fraction;
        parts.push_back(fmt::format("WHERE {} {:.3g} (the plan's filter)", c.index.predicate, c.predicate_fraction));
    }
    how = parts.empty() ? "no filtering key" : "selectivity " + [&] {
        std::string out;
        for (const auto& p : parts) out += (out.empty() ? "" : " x ") + p;
        return out;
    }();
    return sel;
}

}  // namespace

std::optional<OfflineGain> gain_from_plan(const ingest::Plan& plan, const Candidate& candidate, double mean_ms,
                                          const CostModel& model) {
    Saved s;
    const bool wants_order = candidate.index.keys.size() > candidate.equality_keys;
    walk(plan.root, candidate.index.table, wants_order, model, s);
    if (s.nodes == 0) return std::nullopt;
    const double plan_ms = plan.execution_ms.value_or(inclusive_ms(plan.root, false));
    if (plan_ms <= 0) return std::nullopt;
    const double saved_in_plan = std::clamp(s.scan_ms - s.index_ms, 0.0, plan_ms);
    const double share = saved_in_plan / plan_ms;
    OfflineGain g;
    g.saved_ms_per_call = mean_ms > 0 ? mean_ms * share : saved_in_plan;
    g.detail = fmt::format(
        "the logged plan spent {:.3f} ms of {:.3f} ms in {} Seq Scan{} of {} ({:.0f} rows out over {:.0f} loop{}); "
        "index lookups for those rows are modelled at {:.3f} ms ({} ms per descent, {} ms per row), so {:.0f}% of "
        "the statement's time goes{}",
        s.scan_ms, plan_ms, s.nodes, s.nodes == 1 ? "" : "s", candidate.index.table, s.rows, s.loops,
        s.loops == 1 ? "" : "s", s.index_ms, model.descent_ms, model.fetch_row_ms, share * 100,
        mean_ms > 0 ? fmt::format(", applied to its mean of {:.3f} ms", mean_ms) : "");
    return g;
}

std::optional<OfflineGain> gain_from_cost_model(const Candidate& c, double mean_ms, const CostModel& model) {
    if (!c.table || c.rows.rows < 0) return std::nullopt;
    const double rows = c.rows.rows;
    std::string how;
    const double sel = selectivity(c, model, how);
    const double matching = rows * sel;
    const double scan_ms = rows * model.seq_row_ms;
    const double index_ms = model.descent_ms + matching * model.fetch_row_ms;
    double saved = std::max(0.0, scan_ms - index_ms);
    // Never more than the statement is measured to take.
    if (mean_ms > 0) saved = std::min(saved, mean_ms * 0.95);
    OfflineGain g;
    g.saved_ms_per_call = saved;
    g.detail = fmt::format(
        "B-tree cost model: a Seq Scan of {:.0f} rows ({}) at {} ms per row = {:.3f} ms, against one descent and "
        "{:.1f} matching rows ({}) at {} ms each = {:.3f} ms{}",
        rows, workload::rows_basis(c.rows), model.seq_row_ms, scan_ms, matching, how, model.fetch_row_ms, index_ms,
        mean_ms > 0 ? fmt::format("; capped at 95% of the measured mean {:.3f} ms", mean_ms) : "");
    return g;
}

}  // namespace pgadvisor::advise
