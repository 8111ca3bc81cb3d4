#pragma once
// The evidence a finding gives for a statement shape: its normalized text and
// what the workload measured of it. One builder, so every rule reports calls,
// total, mean, p95 and max time the same way.
//
// Takes: a workload::ShapeInfo (and, when a rule knows better, the places to
// cite). Gives: a StatementEvidence.

#include <vector>

#include "rules/finding.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::rules {

// The shape's fingerprint, normalized text and statistics, cited at `where`
// (the occurrences the rule matched, or none).
StatementEvidence evidence_of(const workload::ShapeInfo& shape, std::vector<SourceLocation> where);

// The same, cited at the first places the shape was seen in the inputs.
StatementEvidence evidence_of(const workload::ShapeInfo& shape);

}  // namespace pgadvisor::rules
