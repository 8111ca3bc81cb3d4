#pragma once
// Private to the report renderers (report_*.cpp): what every format shares —
// time and share formatting, the impact bands, severity order, grouping of
// findings and recommendations — so the four formats rank and word things alike.

#include <cstddef>
#include <string>
#include <vector>

#include "emit/report.hpp"
#include "sql/text.hpp"

namespace pgadvisor::emit::report_detail {

// Impact bands of a recommendation, from its gain (documented in docs/report-format.md):
//   High:   share_of_db_time >= 10%  or ms_per_hour >= 60,000 (a minute of db time each hour)
//   Medium: share_of_db_time >= 1%   or ms_per_hour >= 5,000
//   Low:    everything else (including no estimate)
enum class Impact { High, Medium, Low };
inline constexpr double kHighShare = 0.10, kHighMsPerHour = 60000;
inline constexpr double kMediumShare = 0.01, kMediumMsPerHour = 5000;
Impact impact_of(const advise::GainEstimate& gain);
const char* to_string(Impact);     // "high", "medium", "low"
const char* impact_title(Impact);  // "High", "Medium", "Low"

// "0.42 ms", "12.3 ms", "4.56 s", "3.2 min", "1.50 h": readable at any scale.
std::string format_ms(double ms);
// 0.1234 -> "12.3%"
std::string format_share(double share);
// "the 3 proposed indexes together save 1.2 s (40 ms/hour, 12.0% of db time), each statement counted once"
// when two or more indexes are proposed; "" otherwise.
std::string index_set_sentence(const ReportInput& input);
// "ORM: Django (high confidence): Django: sqlcommenter framework tag (974 statements); ..." when the
// workload names an ORM or its driver; "" otherwise (no workload, or nothing named: JSON still says "unknown").
std::string orm_sentence(const ReportInput& input);
// "file:12", "file:12-14", "file" (line unknown), "" (no file).
using ingest::location_text;

// Error first; a smaller rank sorts first.
int severity_rank(rules::Severity severity);

// Empty vectors stand in for null pointers so renderers need no checks.
const std::vector<rules::Finding>& findings_of(const ReportInput& input);
const std::vector<advise::Recommendation>& recommendations_of(const ReportInput& input);

// Recommendation indexes: High first, then Medium, Low; within a band by ms_total, larger first.
std::vector<std::size_t> recommendations_in_order(const ReportInput& input);
// Finding indexes no recommendation refers to (hygiene, lint), most severe first, else input order.
std::vector<std::size_t> unrecommended_findings(const ReportInput& input);
// For each finding, the recommendations that refer to it.
std::vector<std::vector<std::size_t>> recommendations_by_finding(const ReportInput& input);
// Finding indexes some recommendation fixes (refers to), most severe first, else input order.
std::vector<std::size_t> fixed_findings(const ReportInput& input);
// For each finding, what fixes it, as a reader finds it: per recommendation that refers to it,
// the file that makes the change (its last up migration: the one that builds the index, after a
// duplicates check of its own; else its review file), or the recommendation's key when no file
// was written. Empty for a finding no recommendation fixes.
std::vector<std::vector<std::string>> fixed_by(const ReportInput& input);
// Files written for one recommendation, in the order written.
std::vector<const WrittenFile*> files_for(const ReportInput& input, std::size_t recommendation);

// The statement a reader should look at for a recommendation: the index DDL (as
// catalog::create_index_sql writes it for the migrations), or the rewritten
// statement for the application.
std::string recommendation_sql(const advise::Recommendation& recommendation);

// One input problem: an ingest issue kind or a file that could not be read.
struct InputProblem {
    std::string kind;
    long count = 0;
    std::vector<std::string> examples;  // "file:line: detail"
};
std::vector<InputProblem> input_problems(const ReportInput& input);

// Summary numbers, from ingest and workload when they were given.
struct Totals {
    std::size_t inputs = 0;
    long long statements = 0;
    std::size_t shapes = 0;
    long long sessions = 0;
    bool sessions_known = true;  // false: statements with no session (pg_stat_statements, .sql files)
    double db_ms = 0;
    double span_ms = 0;
};
Totals totals_of(const ReportInput& input);
using sql::counted;  // "1 statement", "0 statements"
// "1 session", "12 sessions", or "sessions unknown" where the statements name none.
std::string sessions_text(const Totals& totals);

// One renderer per file (report_text.cpp, report_json.cpp, ...); report.cpp dispatches.
std::string render_text(const ReportInput& input, const RenderOptions& options);
std::string render_json(const ReportInput& input);
std::string render_markdown(const ReportInput& input, const RenderOptions& options);
std::string render_sarif(const ReportInput& input);

}  // namespace pgadvisor::emit::report_detail
