#pragma once
// `pgadvisor analyze`, `check` and `verify`: the whole pipeline (ingest ->
// workload -> rules -> advise -> emit) over logs, plans and statistics.
//   analyze: report on stdout (--format), migrations and review files in --out.
//   check:   the same for CI: exit 1 on findings at or above --fail-on that the
//            --baseline does not know; --write-baseline records the current ones.
//   verify:  builds the proposed indexes on a staging server (--yes), re-runs
//            the sample statements with EXPLAIN ANALYZE and prints measured
//            before/after beside the estimate.

#include <optional>
#include <string>
#include <vector>

#include "cli/catalog_source.hpp"

namespace pgadvisor::cli {

struct AnalyzeOptions {
    std::vector<std::string> inputs;
    std::string input_format = "auto";
    std::optional<std::string> prefix;  // log_line_prefix; detected when absent ("" = none)
    CatalogSource catalog;
    std::vector<std::string> rules;  // --rule ID.KEY=VALUE
    double rtt_ms = 0.3;
    bool show_literals = false;
    std::size_t pgss_top = 100;  // no inputs, --db: pg_stat_statements' top statements by total time
    unsigned jobs = 0;           // --jobs: threads preparing statements; 0 = one per core, 1 = single-threaded
    // advise
    std::size_t max_indexes_per_table = 3;
    bool allow_real_index = false;
    bool offline_gain = false;  // --no-what-if: do not plan on the server even with --db
    // emit
    std::string out_dir;
    std::string layout = "plain";
    std::string prisma_schema;    // --prisma-schema: models and fields for the schema.prisma lines
    std::string timestamp;        // migrations' timestamp (YYYYMMDDHHMMSS), default now
    std::string format = "text";  // report on stdout
    std::string report_json, report_markdown, report_sarif, report_text;  // extra report files
    bool no_color = false;
    // check
    std::string fail_on = "warning";
    std::string baseline;
    std::string write_baseline;
};

int run_analyze(const AnalyzeOptions& options);
int run_check(const AnalyzeOptions& options);

struct VerifyOptions {
    AnalyzeOptions analysis;
    bool yes = false;
    bool drop_after = false;
    int repetitions = 3;
    bool analyze_writes = false;
};

int run_verify(const VerifyOptions& options);

}  // namespace pgadvisor::cli
