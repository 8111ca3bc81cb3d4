#pragma once
// The rules' one way to ask a server for the plans of the workload's own
// statements (--db): each shape's normalized text, planned with parameter sets
// logged for it (server::explain_live: plain EXPLAIN, read-only, nothing run).
// seq-scan reads these plans for scans; unused-index for the indexes they use.
//
// Takes: shapes, a connection string, a timeout. Gives: a plan per planned
// parameter set, and the shapes that could not be planned (no complete
// parameter set logged, or the server refused the statement).

#include <string>
#include <vector>

#include "ingest/plan.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::rules {

struct ShapePlan {
    const workload::ShapeInfo* shape = nullptr;
    ingest::Plan plan;
};

struct LivePlans {
    std::vector<ShapePlan> plans;                       // in the order of the shapes asked
    std::vector<const workload::ShapeInfo*> unplanned;  // asked, but no plan came back
    std::string connection_error;                       // could not connect (no plans at all)
};

// Up to sets_per_shape logged parameter sets of each shape (workload::parameter_sets),
// each planned on its own: a custom plan for values the application really sent.
LivePlans explain_shapes(const std::vector<const workload::ShapeInfo*>& shapes, const std::string& conninfo,
                         int statement_timeout_ms, std::size_t sets_per_shape = 1);

// The names of the indexes a plan reads (Index Scan, Index Only Scan, Bitmap Index Scan).
void plan_index_names(const ingest::PlanNode& node, std::vector<std::string>& names);

}  // namespace pgadvisor::rules
