#pragma once
// Reports of an analysis: terminal text, JSON (a versioned schema,
// docs/report-format.md), Markdown (a PR comment, under 65,000 characters)
// and SARIF 2.1.0 (code scanning: rule help from docs/rules, locations as
// file:line in logs and migrations).
//
// Takes: the findings, the recommendations and what the run read. Gives: text.
// Only normalized statements appear: literal values never do, unless
// show_literals (and even then only where a finding's own text carries them).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advise/recommendation.hpp"
#include "emit/migrations.hpp"
#include "ingest/ingest.hpp"
#include "rules/finding.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::emit {

enum class ReportFormat { Text, Json, Markdown, Sarif };
std::optional<ReportFormat> report_format_from_string(std::string_view);

struct ReportInput {
    std::string command;  // "analyze", "check" or "lint" (migration files: no workload, no recommendations)
    std::string tool_version;
    std::vector<std::string> inputs;  // as given on the command line
    const ingest::IngestReport* ingest = nullptr;
    const workload::Workload* workload = nullptr;
    std::string catalog_source;  // "" when no schema was given; never holds a password
    bool catalog_live = false;
    const std::vector<rules::Finding>* findings = nullptr;
    const std::vector<advise::Recommendation>* recommendations =
        nullptr;                                         // Recommendation::findings index into *findings
    const advise::IndexSetSummary* index_set = nullptr;  // the proposed indexes together (analyze)
    std::vector<WrittenFile> migrations;                 // files written (analyze --out)
    std::vector<std::string> notes;                      // from the catalog, ingest and advise
    std::size_t baseline_suppressed = 0;                 // check --baseline: known findings left out
    std::optional<rules::Severity> fail_on;              // check: the threshold
    bool failed = false;                                 // check: findings at or above it
};

struct RenderOptions {
    bool color = false;                  // text only: ANSI colours (a TTY without --no-color)
    std::size_t markdown_limit = 65000;  // characters; past it the report is cut with a note
};

std::string render_report(const ReportInput& input, ReportFormat format, const RenderOptions& options = {});

}  // namespace pgadvisor::emit
