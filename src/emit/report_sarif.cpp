// The SARIF 2.1.0 report for code scanning (GitHub and others): one run, one
// reportingDescriptor per registered rule with its doc page as help, one
// result per finding located at file:line in the logs and migrations.

#include <cctype>
#include <filesystem>
#include <map>
#include <system_error>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "emit/report_common.hpp"
#include "emit/report_orm_fix.hpp"
#include "emit/rule_docs.hpp"
#include "rules/registry.hpp"
#include "sql/text.hpp"

namespace pgadvisor::emit::report_detail {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
// No informationUri or helpUri: the project has no public address to point to (a
// placeholder would send readers nowhere); each rule's doc page is its `help` instead.
// Our own fingerprint key: GitHub reserves primaryLocationLineHash and recomputes it
// from file contents, which for a log file would change with every run.
constexpr const char* kFingerprintKey = "pgadvisorKey/v1";

const char* level_of(rules::Severity severity) {
    switch (severity) {
        case rules::Severity::Error: return "error";
        case rules::Severity::Warning: return "warning";
        case rules::Severity::Info: return "note";
    }
    return "warning";
}

// The doc page's first paragraph after the "# id" heading: the rule in a few sentences.
std::string first_paragraph(std::string_view doc) {
    std::string out;
    std::size_t pos = 0;
    bool in_paragraph = false;
    while (pos < doc.size()) {
        std::size_t end = doc.find('\n', pos);
        if (end == std::string_view::npos) end = doc.size();
        std::string_view line = doc.substr(pos, end - pos);
        pos = end + 1;
        const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
        if (!in_paragraph) {
            if (blank || line.front() == '#') continue;
            in_paragraph = true;
        } else if (blank) {
            break;
        }
        if (!out.empty()) out += ' ';
        out += line;
    }
    return out;
}

std::string percent_encode(const std::string& path) {
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out += fmt::format("%{:02X}", c);
    }
    return out;
}

// Relative, '/'-separated when the file is under the current directory (code
// scanning resolves it against the checkout); a file:// URI otherwise.
std::string artifact_uri(const std::string& file) {
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    const fs::path absolute = fs::absolute(fs::path(file), ec).lexically_normal();
    if (!ec && !cwd.empty()) {
        const fs::path rel = absolute.lexically_relative(cwd);
        const std::string r = rel.generic_string();
        if (!rel.empty() && r != "." && r.rfind("..", 0) != 0) {
            std::string uri = r;
            for (char& c : uri)
                if (c == '\\') c = '/';
            return uri;
        }
    }
    return "file://" + percent_encode(absolute.generic_string());
}

json location_json(const rules::SourceLocation& loc) {
    json physical = {{"artifactLocation", {{"uri", artifact_uri(loc.file)}}}};
    if (loc.first_line > 0) {
        physical["region"] = {{"startLine", loc.first_line},
                              {"endLine", loc.last_line >= loc.first_line ? loc.last_line : loc.first_line}};
    }
    return {{"physicalLocation", physical}};
}

// The finding's own locations; else where its statements were seen.
std::vector<rules::SourceLocation> locations_of(const rules::Finding& f) {
    std::vector<rules::SourceLocation> out;
    for (const auto& l : f.locations)
        if (!l.file.empty()) out.push_back(l);
    if (!out.empty()) return out;
    for (const auto& s : f.statements)
        if (!s.locations.empty() && !s.locations.front().file.empty()) out.push_back(s.locations.front());
    return out;
}

json rule_json(const std::string& id, const rules::RuleSet& defaults) {
    const rules::RuleConfig* config = defaults.find(id);
    const std::string_view doc = rule_doc(id);
    const std::string summary = config && !config->summary.empty() ? config->summary : id;
    const std::string full = doc.empty() ? summary : first_paragraph(doc);
    const std::string help = doc.empty() ? summary : std::string(doc);
    return {{"id", id},
            {"name", id},
            {"shortDescription", {{"text", summary}}},
            {"fullDescription", {{"text", full}}},
            {"help", {{"text", help}, {"markdown", help}}},
            {"defaultConfiguration", {{"level", level_of(config ? config->severity : rules::Severity::Warning)}}}};
}

json gain_properties(const ReportInput& input, const rules::Finding& f, const std::vector<std::size_t>& recs) {
    json props = {{"rule", f.rule_id},
                  {"confidence", rules::to_string(f.confidence)},
                  {"estimatedGainMs", f.estimated_gain_ms},
                  {"gainMethod", f.gain_method}};
    json linked = json::array();
    for (std::size_t r : recs) {
        const auto& rec = recommendations_of(input)[r];
        linked.push_back({{"title", rec.title},
                          {"impact", to_string(impact_of(rec.gain))},
                          {"method", advise::to_string(rec.gain.method)},
                          {"msPerCall", rec.gain.ms_per_call},
                          {"msPerHour", rec.gain.ms_per_hour},
                          {"shareOfDbTime", rec.gain.share_of_db_time}});
    }
    props["recommendations"] = linked;
    return props;
}

// The fix in the ORM's own calls: at the end of the message, where code scanning shows it, and as a property.
void add_orm_fix(json& result, const std::optional<advise::OrmFix>& orm) {
    if (!orm) return;
    json& text = result["message"]["text"];
    text = fmt::format("{}\n{}:\n{}\n({})", text.get<std::string>(), orm_fix_heading(*orm), orm->code, orm->note);
    result["properties"]["ormFix"] = orm_fix_json(orm);
}

json result_json(const ReportInput& input, const rules::Finding& f, std::size_t rule_index,
                 const std::vector<std::size_t>& recs, const std::vector<std::string>& fixes) {
    std::string message = f.title;
    if (!f.fix.empty()) message += ". Fix: " + f.fix;
    // Code scanning shows the message alone: the file that already fixes it belongs there.
    if (!fixes.empty()) message += (f.fix.empty() ? ". Fixed by " : " Fixed by ") + sql::join(fixes) + ".";
    json result = {{"ruleId", f.rule_id},
                   {"ruleIndex", rule_index},
                   {"level", level_of(f.severity)},
                   {"message", {{"text", message}}},
                   {"partialFingerprints", {{kFingerprintKey, f.rule_id + ":" + f.key}}},
                   {"properties", gain_properties(input, f, recs)}};
    add_orm_fix(result, orm_fix_of(input, f));
    result["properties"]["fixedBy"] = fixes;
    const auto locations = locations_of(f);
    if (!locations.empty()) {
        json locs = json::array();
        for (const auto& l : locations) locs.push_back(location_json(l));
        result["locations"] = locs;
    }
    return result;
}

}  // namespace

std::string render_sarif(const ReportInput& input) {
    const rules::RuleSet defaults = rules::load_default_rules();
    json rules_array = json::array();
    std::map<std::string, std::size_t> rule_index;
    auto add_rule = [&](const std::string& id) {
        rule_index.emplace(id, rules_array.size());
        rules_array.push_back(rule_json(id, defaults));
    };
    for (const auto& entry : rules::rule_registry()) add_rule(entry.id);
    // A finding of a rule outside the registry still needs a descriptor for its ruleIndex.
    for (const auto& f : findings_of(input))
        if (!rule_index.count(f.rule_id)) add_rule(f.rule_id);

    const auto by_finding = recommendations_by_finding(input);
    const auto fixes = fixed_by(input);
    json results = json::array();
    for (std::size_t i = 0; i < findings_of(input).size(); ++i) {
        const auto& f = findings_of(input)[i];
        results.push_back(result_json(input, f, rule_index.at(f.rule_id), by_finding[i], fixes[i]));
    }
    json driver = {{"name", "pgadvisor"}, {"version", input.tool_version}, {"rules", rules_array}};
    json run = {{"tool", {{"driver", driver}}}, {"results", results}, {"columnKind", "unicodeCodePoints"}};
    // The ORM the workload names, where SARIF keeps a run's own facts (a property bag).
    if (input.workload && input.workload->orm.orm != workload::Orm::Unknown)
        run["properties"] = {{"orm", workload::to_string(input.workload->orm.orm)},
                             {"ormConfidence", workload::to_string(input.workload->orm.confidence)}};
    json doc = {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", json::array({run})}};
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace pgadvisor::emit::report_detail
