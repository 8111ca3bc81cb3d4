#include "cli/analysis.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>

#include "ingest/readers.hpp"
#include "rules/registry.hpp"

namespace pgadvisor::cli {

std::optional<ingest::Format> parse_input_format(const std::string& name, const char* command) {
    auto format = ingest::parse_format(name);
    if (!format)
        fmt::print(
            stderr,
            "pgadvisor {}: unknown --input-format '{}' (auto, stderr, syslog, csvlog, jsonlog, explain, pgss, sql)\n",
            command, name);
    return format;
}

Analysis run_analysis(const AnalysisOptions& options, const char* command) {
    Analysis a;
    // The schema first: a wrong --db should fail before a large log is read.
    a.catalog = load_catalog(options.catalog, command, /*required=*/false);
    if (!a.catalog.error.empty()) {
        a.error = a.catalog.error;
        return a;
    }

    auto enabled = rules::create_enabled_rules(options.rules);
    workload::WorkloadBuilder builder(
        {},
        [&](const workload::Execution& e) {
            for (auto& rule : enabled) rule->observe(e);
        },
        [&](const std::string& session) {
            for (auto& rule : enabled) rule->end_session(session);
        });
    ingest::IngestOptions in;
    in.inputs = options.inputs;
    in.format = options.format;
    in.prefix = options.prefix;
    // Memory follows the sessions open at once (issue 16): each session's state is
    // freed when it ends, or once it has been quiet longer than any rule looks back.
    in.sessions.enabled = options.close_sessions;
    in.sessions.idle_ms = rules::session_lookback_ms(enabled);
    in.sessions.sink = [&](const ingest::SessionEnd& end) { builder.end_session(end); };
    a.ingest = ingest::ingest(in, [&](ingest::Statement&& s) { builder.add(s); });
    a.workload = builder.finish();
    a.ingest.issues.merge(a.workload.issues);
    // The log's evidence of table sizes, for the estimates where no statistics say (docs/gain-model.md).
    if (a.catalog.catalog) a.workload.table_sizes = workload::table_size_evidence(a.workload, *a.catalog.catalog);

    rules::RuleInput input;
    input.workload = &a.workload;
    input.catalog = a.catalog.catalog ? &*a.catalog.catalog : nullptr;
    input.catalog_is_live = a.catalog.live;
    input.conninfo = a.catalog.live ? options.catalog.db : "";  // seq-scan and unused-index plan shapes live with --db
    input.statement_timeout_ms = static_cast<int>(options.catalog.statement_timeout_s * 1000);
    input.round_trip_ms = options.rtt_ms;
    input.show_literals = options.show_literals;
    for (auto& rule : enabled) rule->finish(input, a.findings);
    std::stable_sort(a.findings.begin(), a.findings.end(), [](const rules::Finding& x, const rules::Finding& y) {
        if (x.severity != y.severity) return x.severity > y.severity;
        return x.estimated_gain_ms > y.estimated_gain_ms;
    });
    return a;
}

std::size_t count_at_or_above(const std::vector<rules::Finding>& findings, rules::Severity threshold) {
    return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                  [&](const rules::Finding& f) { return f.severity >= threshold; }));
}

}  // namespace pgadvisor::cli
