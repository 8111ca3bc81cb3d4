#pragma once
// The offline gain estimate (docs/gain-model.md): what an index saves per call
// when no server can be asked, from a plan's actual times when the log has
// one, else from a B-tree cost model over the table's size and selectivity.

#include <optional>
#include <string>

#include "advise/candidates.hpp"
#include "ingest/plan.hpp"
#include "workload/cost_model.hpp"

namespace pgadvisor::advise {

// The model's figures (workload/cost_model.hpp): the workload stage reads table
// sizes from logged durations with the same ones.
using CostModel = workload::CostModel;

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
