#include "rules/evidence.hpp"

#include <utility>

namespace pgadvisor::rules {

StatementEvidence evidence_of(const workload::ShapeInfo& shape, std::vector<SourceLocation> where) {
    StatementEvidence e;
    e.fingerprint = shape.fingerprint;
    e.normalized = shape.normalized;
    e.calls = shape.stats.calls;
    e.total_ms = shape.stats.total_ms;
    e.mean_ms = shape.stats.mean_ms();  // over the calls that logged a duration
    e.p95_ms = shape.p95_ms;
    e.max_ms = shape.max_ms;
    e.locations = std::move(where);
    return e;
}

StatementEvidence evidence_of(const workload::ShapeInfo& shape) { return evidence_of(shape, shape.locations); }

}  // namespace pgadvisor::rules
