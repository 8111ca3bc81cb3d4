#pragma once
// The offline gain estimate (docs/gain-model.md): what an index saves per call
// when no server can be asked, from a plan's actual times when the log has
// one, else from a B-tree cost model over the table's size and selectivity.

#include <optional>
#include <string>

#include "advise/candidates.hpp"
#include "ingest/plan.hpp"

namespace pgadvisor::advise {

// Per-row and per-lookup times of the model, in ms: round figures of what
// PostgreSQL 15 measured on the build machine with cached data
// (docs/gain-model.md has the measurements); the estimate is an order of
// magnitude, and the method says so.
struct CostModel {
    double seq_row_ms = 0.0001;                  // a heap tuple read and filtered by a Seq Scan
    double descent_ms = 0.02;                    // one index lookup's fixed part: descent and executor start, cached
    double fetch_row_ms = 0.005;                 // one index tuple and its heap tuple, cached, on a page of its own
    double write_entry_ms = 0.004;               // one index entry added by an INSERT or a non-HOT UPDATE (with WAL)
    double default_eq_selectivity = 0.005;       // PostgreSQL's DEFAULT_EQ_SEL, when pg_stats has nothing
    double default_range_selectivity = 1.0 / 3;  // DEFAULT_INEQ_SEL
};

struct OfflineGain {
    double saved_ms_per_call = 0;
    std::string detail;  // how, in words, with the numbers used
};

// From the slowest logged plan of a statement: the time of the Seq Scans (and
// of a Sort fed straight by one) on the candidate's table, less what index
// lookups returning the same rows would take; scaled to the statement's mean
// time by the share of the plan's time they took. nullopt when the plan has no
// actual times or no such node.
std::optional<OfflineGain> gain_from_plan(const ingest::Plan& plan, const Candidate& candidate, double mean_ms,
                                          const CostModel& model = {});

// From the table's row count and the key columns' selectivity alone.
// nullopt when the row count is unknown.
std::optional<OfflineGain> gain_from_cost_model(const Candidate& candidate, double mean_ms,
                                                const CostModel& model = {});

}  // namespace pgadvisor::advise
