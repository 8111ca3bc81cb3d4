#include "advise/recommendation.hpp"

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

}  // namespace pgadvisor::advise
