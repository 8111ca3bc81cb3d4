#include "cli/lint_command.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "cli/print_safe.hpp"
#include "catalog/ddl_loader.hpp"
#include "catalog/live_loader.hpp"
#include "catalog/migrations.hpp"
#include "cli/app.hpp"
#include "cli/rule_options.hpp"
#include "emit/finding_json.hpp"
#include "emit/report.hpp"
#include "ingest/input.hpp"
#include "rules/lint.hpp"
#include "rules/registry.hpp"

namespace pgadvisor::cli {
namespace {

using rules::Finding;
using rules::Severity;

void print_error(const std::string& file, int line, const std::string& message) {
    if (line > 0) fmt::print(stderr, "{}:{}: error: {}\n", file, line, message);
    else fmt::print(stderr, "{}: error: {}\n", file, message);
}

std::string where(const Finding& f) {
    if (f.locations.empty()) return f.schema.empty() ? "schema" : f.schema + "." + f.table;
    const auto& l = f.locations[0];
    return l.first_line > 0 ? fmt::format("{}:{}", l.file, l.first_line) : l.file.str();
}

// Continuation lines of a multi-line text, indented under their label.
void print_block(const char* label, const std::string& text) {
    if (text.empty()) return;
    std::istringstream in(text);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        print_safe("  {} {}\n", first ? label : std::string(std::string_view(label).size(), ' ').c_str(), line);
        first = false;
    }
}

void print_text(const rules::LintResult& r, std::size_t files) {
    for (const auto& f : r.findings) {
        print_safe("{}: {}[{}]: {}\n", where(f), rules::to_string(f.severity), f.rule_id, f.title);
        print_block("= note:", f.explanation);
        print_block("= help:", f.fix);
        print_block("= fix: ", f.fix_sql);
    }
    int counts[3] = {0, 0, 0};
    for (const auto& f : r.findings) ++counts[static_cast<int>(f.severity)];
    print_safe("{} finding{} in {} file{} ({} error, {} warning, {} info)\n", r.findings.size(),
               r.findings.size() == 1 ? "" : "s", files, files == 1 ? "" : "s", counts[2], counts[1], counts[0]);
}

// Each finding in the JSON report's form; lint's own input problems beside them.
nlohmann::json to_json(const rules::LintResult& r) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : r.findings) findings.push_back(emit::finding_json(f));
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : r.errors) errors.push_back({{"file", e.file}, {"line", e.line}, {"message", e.message}});
    nlohmann::json not_applied = nlohmann::json::array();
    for (const auto& e : r.not_applied)
        not_applied.push_back({{"file", e.file}, {"line", e.line}, {"message", e.message}});
    return {{"findings", std::move(findings)}, {"errors", std::move(errors)}, {"not_applied", std::move(not_applied)}};
}

// Said of a statement lint could not apply to its schema, on stderr and in the reports' notes.
constexpr const char* kNotApplied = "not applied to the schema; the rules do not see its effect";

// Lint's own input problems, for the reports that carry notes: "file:line: message".
std::vector<std::string> problem_notes(const rules::LintResult& r) {
    std::vector<std::string> notes;
    auto at = [](const auto& e) { return e.line > 0 ? fmt::format("{}:{}", e.file, e.line) : e.file; };
    for (const auto& e : r.errors) notes.push_back(fmt::format("{}: {}", at(e), e.message));
    for (const auto& e : r.not_applied) notes.push_back(fmt::format("{}: {} ({})", at(e), e.message, kNotApplied));
    return notes;
}

// Markdown (a PR comment) and SARIF (code scanning) from the report writers
// analyze and check use (emit/report.hpp), so the three commands word findings alike.
std::string render_lint_report(const rules::LintResult& r, const std::vector<rules::LintFile>& files,
                               std::optional<Severity> fail_on, bool failed, emit::ReportFormat format) {
    emit::ReportInput input;
    input.command = "lint";
    input.tool_version = PGADVISOR_VERSION;
    for (const auto& f : files) input.inputs.push_back(f.path);
    input.findings = &r.findings;
    input.notes = problem_notes(r);
    input.fail_on = fail_on;
    input.failed = failed;
    return emit::render_report(input, format);
}

bool at_or_above(const std::vector<Finding>& findings, std::optional<Severity> fail_on) {
    if (!fail_on) return false;
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return static_cast<int>(f.severity) >= static_cast<int>(*fail_on); });
}

// Through ingest's reader: gzip/zstd, binary input refused, the document cap
// (ingest/limits.hpp). Gives why it could not when it could not.
std::optional<std::string> read_text(const std::string& path, std::string& why) {
    auto whole = ingest::read_whole_file(path);
    why = whole.error.empty() ? "" : ": " + whole.error;
    return std::move(whole.text);
}

// The schema before the files. With --migrations: the folder in its tool's
// order, minus the files under review (those are what the change adds, so
// `lint db/migrations/0042.sql --migrations db/migrations` works).
catalog::Catalog schema_from_migrations(const std::string& dir, const std::vector<std::string>& under_review) {
    const auto plan = catalog::plan_migrations(dir);
    catalog::Catalog base;
    base.source = dir;
    base.search_path = {"$user", "public"};  // as catalog::load_migrations starts
    base.schemas = {"public"};
    base.errors = plan.errors;
    for (const auto& path : plan.files) {
        const bool reviewed = std::any_of(under_review.begin(), under_review.end(), [&](const std::string& f) {
            std::error_code ec;
            return std::filesystem::equivalent(f, path, ec);
        });
        if (reviewed) continue;
        std::string why;
        const auto text = read_text(path, why);
        if (!text) base.errors.push_back({path, 0, "cannot read the file" + why});
        else {
            // Each migration runs in its own session: a search_path it sets does not carry over.
            const auto path_before = base.search_path;
            catalog::apply_ddl(base, *text, path);
            base.search_path = path_before;
        }
    }
    return base;
}

// The schema before the files from whichever source was given (none: empty).
// A live server that cannot be read is a usage error: the message, no catalog.
std::optional<catalog::Catalog> load_base_schema(const LintOptions& o) {
    const CatalogSource& src = o.catalog;
    if (!src.db.empty()) {
        catalog::LiveOptions live;
        live.conninfo = src.db;
        live.statement_timeout_ms = static_cast<int>(src.statement_timeout_s * 1000);
        live.statistics = false;  // lint judges structure only
        auto r = catalog::load_live(live);
        if (!r.catalog)
            fmt::print(stderr, "pgadvisor lint: {}\n", r.error ? r.error->message : "cannot read the catalog");
        return std::move(r.catalog);
    }
    if (!src.schema_file.empty()) return catalog::load_schema_file(src.schema_file);
    if (!src.migrations_dir.empty()) return schema_from_migrations(src.migrations_dir, o.files);
    return catalog::Catalog{};
}

// The files under review; one that cannot be read is reported and left out.
// The files to lint: each file given, and a folder's migrations in its tool's
// apply order (catalog::plan_migrations). A folder without one is an input error.
std::vector<std::string> expand_folders(const std::vector<std::string>& paths, bool& input_error) {
    std::vector<std::string> out;
    for (const auto& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            out.push_back(path);
            continue;
        }
        const auto plan = catalog::plan_migrations(path);
        for (const auto& e : plan.errors) {
            print_error(e.file, e.line, e.message);
            input_error = true;
        }
        if (plan.files.empty() && plan.errors.empty()) {
            print_error(path, 0, "a folder without migration files (*.sql): nothing to lint");
            input_error = true;
        }
        out.insert(out.end(), plan.files.begin(), plan.files.end());
    }
    return out;
}

std::vector<rules::LintFile> read_files(const std::vector<std::string>& given, bool& input_error) {
    std::vector<rules::LintFile> files;
    for (const auto& path : expand_folders(given, input_error)) {
        std::string why;
        auto text = read_text(path, why);
        if (!text) {
            print_error(path, 0, "cannot read the file" + why);
            input_error = true;
            continue;
        }
        files.push_back({path, std::move(*text)});
    }
    return files;
}

bool parse_fail_on(const std::string& text, std::optional<Severity>& fail_on) {
    if (text == "none") return true;
    fail_on = rules::severity_from_string(text);
    if (!fail_on) fmt::print(stderr, "pgadvisor lint: --fail-on must be info, warning, error or none\n");
    return fail_on.has_value();
}

}  // namespace

int run_lint(const LintOptions& o) {
    const CatalogSource& src = o.catalog;
    const int sources = !src.db.empty() + !src.schema_file.empty() + !src.migrations_dir.empty();
    if (sources > 1) {
        fmt::print(stderr, "pgadvisor lint: give at most one of --db, --schema, --migrations\n");
        return kExitUsage;
    }
    const auto format = emit::report_format_from_string(o.format);
    if (!format) {
        fmt::print(stderr, "pgadvisor lint: unknown --format '{}' (text, json, markdown, sarif)\n", o.format);
        return kExitUsage;
    }
    std::optional<Severity> fail_on;
    if (!parse_fail_on(o.fail_on, fail_on)) return kExitUsage;
    const rules::RuleSet set = load_rule_set(o.rules);
    if (report_config_errors(set)) return kExitUsage;

    auto base = load_base_schema(o);
    if (!base) return kExitUsage;
    bool input_error = false;
    for (const auto& e : base->errors) {
        print_error(e.file, e.line, e.message);
        input_error = true;
    }
    base->errors.clear();
    const auto files = read_files(o.files, input_error);

    const auto result = rules::lint_migrations(*base, files, set);
    for (const auto& e : result.errors) {
        print_error(e.file, e.line, e.message);
        input_error = true;
    }
    for (const auto& e : result.not_applied)
        fmt::print(stderr, "{}:{}: note: {} ({})\n", e.file, e.line, e.message, kNotApplied);
    const bool failed = at_or_above(result.findings, fail_on);
    switch (*format) {
        case emit::ReportFormat::Text: print_text(result, files.size()); break;
        case emit::ReportFormat::Json: fmt::print("{}\n", to_json(result).dump(2)); break;
        case emit::ReportFormat::Markdown:
        case emit::ReportFormat::Sarif:
            fmt::print("{}", render_lint_report(result, files, fail_on, failed, *format));
            break;
    }

    if (input_error) return kExitUsage;
    return failed ? kExitFindings : kExitOk;
}

int run_rules(const RulesOptions& o) {
    const rules::RuleSet set = load_rule_set(o.rules);
    if (report_config_errors(set)) return kExitUsage;
    if (o.show_config) {
        fmt::print("{}", rules::to_toml(set));
        return kExitOk;
    }
    for (const auto& entry : rules::rule_registry()) {
        const rules::RuleConfig* c = set.find(entry.id);
        if (!c) continue;
        fmt::print("{:<30} {:<8}{} {}\n", c->id, rules::to_string(c->severity), c->enabled ? "" : " (disabled)",
                   c->summary);
    }
    fmt::print(
        "\nDocs: docs/rules/<id>.md. Change a rule with --rule ID.KEY=VALUE or .pgadvisor.toml "
        "([rules.<id>] tables); see the effective options with --show-config.\n");
    return kExitOk;
}

}  // namespace pgadvisor::cli
