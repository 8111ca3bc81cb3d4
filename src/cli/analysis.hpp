#pragma once
// The analysis every reporting command shares (analyze, check): read the
// inputs, load the schema, build the workload, run the enabled rules.
// ingest -> workload (rules observe each execution) -> rules finish.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/catalog_source.hpp"
#include "ingest/ingest.hpp"
#include "rules/config.hpp"
#include "rules/finding.hpp"
#include "rules/rule.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::cli {

// --input-format as ingest and the analysis commands take it; an unknown name is
// reported on stderr with the choices (the command then exits 2).
std::optional<ingest::Format> parse_input_format(const std::string& name, const char* command);

struct AnalysisOptions {
    std::vector<std::string> inputs;  // files, directories, "-"
    ingest::Format format = ingest::Format::Auto;
    std::optional<std::string> prefix;
    CatalogSource catalog;
    rules::RuleSet rules;  // the effective configuration
    double rtt_ms = 0.3;
    bool show_literals = false;
    // No inputs and --db: the workload is the server's pg_stat_statements, its
    // top rows by total time (server/pgss_live.hpp).
    std::size_t pgss_top = 100;
    // Free a session's state when it ends (ingest::SessionTracking); off only to
    // show that closing changes no finding (tests).
    bool close_sessions = true;
    // Threads that prepare statements while one reads and this one runs the rules
    // (workload/parallel_read.hpp); 1: all on this thread. Same results either way.
    unsigned jobs = 1;
};

// Whether a run reads its workload from the server's pg_stat_statements (no input, --db).
inline bool reads_pg_stat_statements(const std::vector<std::string>& inputs, const CatalogSource& catalog) {
    return inputs.empty() && !catalog.db.empty();
}

struct Analysis {
    ingest::IngestReport ingest;
    workload::Workload workload;
    LoadedCatalog catalog;
    std::vector<rules::Finding> findings;  // most severe first, then by estimated gain
    std::string error;                     // set when the run cannot go on (exit 2)
};

Analysis run_analysis(const AnalysisOptions& options, const char* command);

// run_analysis's reading: the inputs (logs, digests: cli/digest_file.hpp, merged
// in after the logs, in order; or pg_stat_statements) into a.ingest and
// a.workload, each execution observed by `enabled`. false with a.error set when the run cannot go on.
bool read_workload(const AnalysisOptions& options, std::vector<std::unique_ptr<rules::Rule>>& enabled, Analysis& a,
                   const char* command);

// "pgadvisor COMMAND: nothing could be read from the inputs:" and why
// (IngestReport::why_nothing_read), on stderr; the command then exits 2.
void print_nothing_read(const ingest::IngestReport& report, const char* command);

// Findings at or above a severity.
std::size_t count_at_or_above(const std::vector<rules::Finding>& findings, rules::Severity threshold);

}  // namespace pgadvisor::cli
