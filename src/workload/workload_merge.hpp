#pragma once
// Workloads of parts of a log, merged into the workload of the whole (issue
// 17, "Beyond one machine": each server's logs digested where they lie, the
// digests merged). A session never spans two parts (parts are whole logs of
// different servers, or one log split at session boundaries), so what is per
// session adds up: sessions, transactions, requests are summed.
//
// Shapes are matched by their identity (ShapeInfo::fingerprint), and the
// part's shape ids are remapped to the merged workload's: a new shape is
// appended. Per shape: calls, times and durations merged (summary.hpp's
// ShapeStats::merge, percentiles recomputed from the merged sketch), first and
// last call, slowest call and plan, a few locations and samples (the first
// part's first), constant literals (constant in the whole only when constant in
// every part, with the same value), call spread (up to 2 sessions / requests).
// The ORM is detected again over the merged shapes and both parts' executions.
//
// Takes: a workload and another part's. Gives: the merged workload in place,
// and the part's shape ids as ids of the merged one.

#include <cstddef>
#include <vector>

#include "workload/workload.hpp"

namespace pgadvisor::workload {

// Merges `part` into `into`; returns, for each shape id of `part`, its id in `into`.
// Associative: merge(merge(a, b), c) and merge(a, merge(b, c)) give the same statistics.
std::vector<std::size_t> merge_workload(Workload& into, Workload&& part, const WorkloadOptions& options = {});

}  // namespace pgadvisor::workload
