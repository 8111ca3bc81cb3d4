// The JSON report, schema version 1 (docs/report-format.md). Additive changes
// keep the version; a removal or rename bumps kReportVersion.

#include <nlohmann/json.hpp>

#include "emit/finding_json.hpp"
#include "emit/report_common.hpp"
#include "emit/report_orm_fix.hpp"

namespace pgadvisor::emit::report_detail {
namespace {

using nlohmann::json;
constexpr int kReportVersion = 1;

json index_json(const advise::IndexDefinition& index) {
    json keys = json::array();
    for (const auto& k : index.keys)
        keys.push_back({{"column", k.column},
                        {"expression", k.expression},
                        {"descending", k.descending},
                        {"nulls_first", k.nulls_first}});
    return {{"schema", index.schema},       {"table", index.table},  {"name", index.name},
            {"method", index.method},       {"keys", keys},          {"include", index.include},
            {"predicate", index.predicate}, {"unique", index.unique}};
}

json gain_json(const advise::GainEstimate& g) {
    return {{"method", advise::to_string(g.method)},
            {"method_detail", g.method_detail},
            {"ms_per_call", g.ms_per_call},
            {"ms_total", g.ms_total},
            {"ms_per_hour", g.ms_per_hour},
            {"share_of_db_time", g.share_of_db_time},
            {"confidence", rules::to_string(g.confidence)},
            {"cost_before", g.cost_before},
            {"cost_after", g.cost_after},
            {"untimed_cost_saved", g.untimed_cost_saved}};
}

json recommendation_json(const ReportInput& input, std::size_t index) {
    const auto& r = recommendations_of(input)[index];
    json migrations = json::array();
    for (std::size_t m = 0; m < input.migrations.size(); ++m)
        if (input.migrations[m].recommendation == index) migrations.push_back(m);
    return {{"kind", advise::to_string(r.kind)},
            {"impact", to_string(impact_of(r.gain))},
            {"title", r.title},
            {"findings", r.findings},
            {"rules", r.rule_ids},
            {"statements", statements_json(r.statements)},
            {"index", index_json(r.index)},
            {"sql", recommendation_sql(r)},
            {"duplicates_check_sql", r.duplicates_check_sql},
            {"review_sql", r.review_sql},
            {"rewrite_check", r.review_sql.empty() ? json(nullptr)
                                                   : json{{"status", advise::to_string(r.rewrite_check.status)},
                                                          {"loops", r.rewrite_check.loops},
                                                          {"keys", r.rewrite_check.keys},
                                                          {"detail", advise::describe(r.rewrite_check)}}},
            {"review_note", r.review_note},
            {"rationale", r.rationale},
            {"gain", gain_json(r.gain)},
            {"write_cost",
             {{"writes_per_hour", r.write_cost.writes_per_hour},
              {"source", r.write_cost.source},
              {"note", r.write_cost.note}}},
            {"key", r.key},
            {"migrations", migrations}};
}

// The proposed indexes together, each statement's saving counted once; null without advice.
json index_set_json(const ReportInput& input) {
    if (!input.index_set) return nullptr;
    const advise::IndexSetSummary& set = *input.index_set;
    return {{"indexes", set.indexes},
            {"ms_total", set.ms_total},
            {"ms_per_hour", set.ms_per_hour},
            {"share_of_db_time", set.share_of_db_time},
            {"method", set.method}};
}

// Which ORM wrote the workload (docs/ecosystem.md); null without a workload (lint).
json orm_json(const ReportInput& input) {
    if (!input.workload) return nullptr;
    const workload::OrmDetection& orm = input.workload->orm;
    json signals = json::array();
    for (const auto& s : orm.signals)
        signals.push_back({{"orm", workload::to_string(s.orm)},
                           {"kind", workload::to_string(s.strength)},
                           {"signal", s.what},
                           {"count", s.count}});
    return {{"name", workload::to_string(orm.orm)},
            {"confidence", workload::to_string(orm.confidence)},
            {"driver", orm.driver.empty() ? json(nullptr) : json(orm.driver)},
            {"reason", orm.reason},
            {"signals", signals}};
}

json summary_json(const ReportInput& input) {
    const Totals t = totals_of(input);
    return {{"inputs_read", t.inputs},
            {"statements", t.statements},
            {"shapes", t.shapes},
            {"sessions", t.sessions},
            {"sessions_known", t.sessions_known},
            {"db_time_ms", t.db_ms},
            {"span_ms", t.span_ms},
            {"findings", findings_of(input).size()},
            {"recommendations", recommendations_of(input).size()},
            {"index_set", index_set_json(input)},
            {"catalog", {{"source", input.catalog_source}, {"live", input.catalog_live}}}};
}

json inputs_json(const ReportInput& input) {
    json files = json::array();
    if (input.ingest)
        for (const auto& f : input.ingest->files)
            files.push_back({{"path", f.path},
                             {"compression", f.compression},
                             {"statements", f.statements},
                             {"lines", f.lines},
                             {"error", f.error}});
    return {{"given", input.inputs}, {"files", files}};
}

json check_json(const ReportInput& input) {
    if (input.command != "check") return nullptr;
    return {{"fail_on", input.fail_on ? json(rules::to_string(*input.fail_on)) : json(nullptr)},
            {"failed", input.failed},
            {"baseline_suppressed", input.baseline_suppressed}};
}

}  // namespace

std::string render_json(const ReportInput& input) {
    json doc;
    doc["pgadvisor_report"] = kReportVersion;
    doc["tool"] = {{"name", "pgadvisor"}, {"version", input.tool_version}};
    doc["command"] = input.command;
    doc["inputs"] = inputs_json(input);
    doc["summary"] = summary_json(input);
    doc["orm"] = orm_json(input);
    const auto by_finding = recommendations_by_finding(input);
    const auto fixes = fixed_by(input);
    doc["findings"] = json::array();
    for (std::size_t i = 0; i < findings_of(input).size(); ++i) {
        doc["findings"].push_back(finding_json(findings_of(input)[i], by_finding[i], fixes[i]));
        doc["findings"].back()["orm_fix"] = orm_fix_json(orm_fix_of(input, findings_of(input)[i]));
    }
    doc["recommendations"] = json::array();
    for (std::size_t i = 0; i < recommendations_of(input).size(); ++i)
        doc["recommendations"].push_back(recommendation_json(input, i));
    doc["migrations"] = json::array();
    for (const auto& m : input.migrations)
        doc["migrations"].push_back(
            {{"path", m.path}, {"role", to_string(m.role)}, {"recommendation", m.recommendation}});
    doc["input_problems"] = json::array();
    for (const auto& p : input_problems(input))
        doc["input_problems"].push_back({{"kind", p.kind}, {"count", p.count}, {"examples", p.examples}});
    doc["notes"] = input.notes;
    doc["check"] = check_json(input);
    // Invalid UTF-8 in a log must not abort the report: replace it.
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace pgadvisor::emit::report_detail
