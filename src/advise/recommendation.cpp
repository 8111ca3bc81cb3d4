#include "advise/recommendation.hpp"

#include <fmt/core.h>

namespace pgadvisor::advise {

const char* to_string(GainMethod m) {
    switch (m) {
        case GainMethod::HypoPG: return "hypopg";
        case GainMethod::RealIndexRolledBack: return "real-index-rolled-back";
        case GainMethod::PlanActualTimes: return "plan-actual-times";
        case GainMethod::CostModel: return "cost-model";
        case GainMethod::RoundTrips: return "round-trips";
        case GainMethod::None: return "none";
    }
    return "none";
}

const char* to_string(RecommendationKind k) {
    switch (k) {
        case RecommendationKind::CreateIndex: return "create-index";
        case RecommendationKind::CreateUniqueIndex: return "create-unique-index";
        case RecommendationKind::RewriteStatement: return "rewrite-statement";
    }
    return "create-index";
}

const char* to_string(RewriteCheck::Status s) {
    switch (s) {
        case RewriteCheck::Status::Offline: return "offline";
        case RewriteCheck::Status::Prepared: return "prepared";
        case RewriteCheck::Status::Equivalent: return "equivalent";
    }
    return "offline";
}

std::string describe(const RewriteCheck& c) {
    switch (c.status) {
        case RewriteCheck::Status::Offline: return "not checked (offline)";
        case RewriteCheck::Status::Prepared:
            return "prepared on the server; not checked for equivalence" +
                   (c.detail.empty() ? "" : " (" + c.detail + ")");
        case RewriteCheck::Status::Equivalent:
            return fmt::format("prepared on the server; checked equivalent on {} logged loop{}", c.loops,
                               c.loops == 1 ? "" : "s");
    }
    return "not checked (offline)";
}

}  // namespace pgadvisor::advise
