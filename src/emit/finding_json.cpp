// The JSON form of a finding, shared by the JSON report and `lint --format json`.

#include "emit/finding_json.hpp"

namespace pgadvisor::emit {
namespace {

using nlohmann::json;

json location_json(const rules::SourceLocation& loc) {
    return {{"file", loc.file}, {"first_line", loc.first_line}, {"last_line", loc.last_line}};
}

json locations_json(const std::vector<rules::SourceLocation>& locations) {
    json out = json::array();
    for (const auto& l : locations) out.push_back(location_json(l));
    return out;
}

json index_needs_json(const std::vector<rules::IndexNeed>& needs) {
    json out = json::array();
    for (const auto& n : needs)
        out.push_back({{"schema", n.schema},
                       {"table", n.table},
                       {"equality_columns", n.equality_columns},
                       {"range_column", n.range_column},
                       {"order_columns", n.order_columns},
                       {"unique", n.unique},
                       {"predicate", n.predicate},
                       {"fingerprint", n.fingerprint}});
    return out;
}

}  // namespace

nlohmann::json statements_json(const std::vector<rules::StatementEvidence>& statements) {
    json out = json::array();
    for (const auto& s : statements)
        out.push_back({{"fingerprint", s.fingerprint},
                       {"normalized", s.normalized},
                       {"calls", s.calls},
                       {"total_ms", s.total_ms},
                       {"mean_ms", s.mean_ms},
                       {"p95_ms", s.p95_ms},
                       {"max_ms", s.max_ms},
                       {"locations", locations_json(s.locations)},
                       {"loop_parent", s.loop_parent}});
    return out;
}

nlohmann::json finding_json(const rules::Finding& f, const std::vector<std::size_t>& recommendations,
                            const std::vector<std::string>& fixed_by) {
    return {{"rule", f.rule_id},
            {"severity", rules::to_string(f.severity)},
            {"confidence", rules::to_string(f.confidence)},
            {"title", f.title},
            {"explanation", f.explanation},
            {"locations", locations_json(f.locations)},
            {"statements", statements_json(f.statements)},
            {"session", f.session},
            {"transaction", f.transaction},
            {"request", f.request},
            {"schema", f.schema},
            {"table", f.table},
            {"fix", f.fix},
            {"fix_sql", f.fix_sql},
            {"rewrite_sql", f.rewrite_sql},
            {"rewrite_note", f.rewrite_note},
            {"index_needs", index_needs_json(f.index_needs)},
            {"estimated_gain_ms", f.estimated_gain_ms},
            {"gain_method", f.gain_method},
            {"key", f.key},
            {"recommendations", recommendations},
            {"fixed_by", fixed_by}};
}

}  // namespace pgadvisor::emit
