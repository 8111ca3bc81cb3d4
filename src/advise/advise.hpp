#pragma once
// The advise stage's entry point: from findings to ranked recommendations.
//
// Takes: the rules' Findings (with IndexNeeds and rewritten statements), the
// Workload (shapes, sample parameters, plans, times) and the catalog (live or
// offline). Gives: Recommendations ranked by total time saved, each with its
// index definition (named, columns ordered, merged, not served already), the
// write cost on its table and a gain estimate whose method is named:
//   1. HypoPG what-if (live, --db),
//   2. a real index built inside a rolled-back transaction (--allow-real-index),
//   3. offline: the plans' actual times and the B-tree cost model of docs/gain-model.md.

#include <cstddef>
#include <string>
#include <vector>

#include "advise/recommendation.hpp"
#include "catalog/catalog.hpp"
#include "rules/finding.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::advise {

struct AdviseOptions {
    std::size_t max_new_indexes_per_table = 3;
    std::size_t top_shapes = 10;    // also index the top shapes by total time, when they need it
    std::string conninfo;           // live what-if planning; "" = offline
    bool allow_real_index = false;  // without HypoPG: build for real inside a rolled-back transaction
    int statement_timeout_ms = 5000;
    std::size_t sample_sets = 3;  // parameter sets planned per shape
    double round_trip_ms = 0.3;
    bool show_literals = false;
};

struct AdviceInput {
    const std::vector<rules::Finding>* findings = nullptr;
    const workload::Workload* workload = nullptr;  // may be null (lint-only)
    const catalog::Catalog* catalog = nullptr;     // may be null (no schema given)
    bool catalog_is_live = false;
};

struct Advice {
    std::vector<Recommendation> recommendations;  // ranked by gain.ms_total, highest first
    std::vector<std::string> notes;               // what the user should know (no HypoPG, timeouts, caps hit)
    IndexSetSummary index_set;                    // the proposed indexes together, each statement counted once
};

Advice advise(const AdviceInput& input, const AdviseOptions& options);

}  // namespace pgadvisor::advise
