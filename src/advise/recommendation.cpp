#include "advise/recommendation.hpp"

#include "sql/text.hpp"

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

std::string cost_only_gain(const GainEstimate& g) {
    if (g.ms_total > 0 || g.untimed_cost_saved <= 0 || g.cost_before <= 0) return {};
    return fmt::format("planner cost {:.2f} -> {:.2f}, {:.0f}% of its cost; no duration was logged, so no time figure",
                       g.cost_before, g.cost_after, 100 * (1 - g.cost_after / g.cost_before));
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
            return fmt::format("prepared on the server; checked equivalent on {} ({}){}",
                               sql::counted(c.loops, "logged loop"), sql::counted(c.keys, "key"),
                               c.detail.empty() ? "" : "; " + c.detail);
    }
    return "not checked (offline)";
}

}  // namespace pgadvisor::advise
