#include "rules/live_plans.hpp"

#include <algorithm>

#include "ingest/explain.hpp"
#include "server/explain_live.hpp"

namespace pgadvisor::rules {

LivePlans explain_shapes(const std::vector<const workload::ShapeInfo*>& shapes, const std::string& conninfo,
                         int statement_timeout_ms, std::size_t sets_per_shape) {
    LivePlans out;
    std::vector<server::ExplainRequest> requests;
    std::vector<const workload::ShapeInfo*> asked;  // parallel to requests
    for (const auto* s : shapes) {
        auto sets = workload::parameter_sets(*s, sets_per_shape);
        if (sets.empty()) out.unplanned.push_back(s);  // no complete parameter set: cannot plan it with real values
        for (auto& params : sets) {
            requests.push_back({s->normalized, std::move(params)});
            asked.push_back(s);
        }
    }
    if (requests.empty()) return out;
    server::LiveExplainOptions opts;
    opts.conninfo = conninfo;
    opts.statement_timeout_ms = statement_timeout_ms;
    auto result = server::explain_live(opts, requests);
    out.connection_error = std::move(result.connection_error);
    std::vector<const workload::ShapeInfo*> planned;
    for (std::size_t i = 0; i < result.outcomes.size(); ++i) {
        if (result.outcomes[i].plan_json.empty()) continue;
        auto parsed = ingest::parse_explain_json(result.outcomes[i].plan_json);
        if (parsed.plans.empty()) continue;
        out.plans.push_back({asked[i], std::move(parsed.plans.front())});
        planned.push_back(asked[i]);
    }
    // A shape is unplanned when none of its sets came back (every set failed, or no connection).
    for (const auto* s : asked)
        if (std::find(planned.begin(), planned.end(), s) == planned.end() &&
            std::find(out.unplanned.begin(), out.unplanned.end(), s) == out.unplanned.end())
            out.unplanned.push_back(s);
    return out;
}

void plan_index_names(const ingest::PlanNode& node, std::vector<std::string>& names) {
    // Index Scan, Index Only Scan and Bitmap Index Scan name their index; no other node does.
    if (!node.index_name.empty() && std::find(names.begin(), names.end(), node.index_name) == names.end())
        names.push_back(node.index_name);
    for (const auto& child : node.children) plan_index_names(child, names);
}

}  // namespace pgadvisor::rules
