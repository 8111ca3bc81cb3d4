#include "cli/analysis.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/digest_file.hpp"
#include "cli/keep_until_exit.hpp"
#include "ingest/readers.hpp"
#include "rules/registry.hpp"
#include "server/pgss_live.hpp"
#include "sql/text.hpp"
#include "workload/parallel_read.hpp"
#include "workload/workload_merge.hpp"

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

namespace {

// "n-plus-one and check-then-insert": the enabled rules that read sessions.
std::string session_rules(const rules::RuleSet& set) {
    std::vector<std::string> ids;
    for (const auto& entry : rules::rule_registry())
        if (const auto* rule = set.find(entry.id); entry.needs_sessions && rule && rule->enabled)
            ids.push_back(entry.id);
    std::string text;
    for (std::size_t i = 0; i < ids.size(); ++i) text += (i == 0 ? "" : i + 1 == ids.size() ? " and " : ", ") + ids[i];
    return text;
}

// What the report says about a workload read from pg_stat_statements: where it
// came from, what was left out, what it cannot show, and the logging that would.
std::vector<std::string> pgss_notes(const server::PgssWorkload& w, const AnalysisOptions& o) {
    std::vector<std::string> notes;
    notes.push_back(fmt::format(
        "workload: pg_stat_statements of database {} since {}, {}, {} (the top {} by total time; "
        "--pgss-top sets it){}",
        w.database,
        w.stats_reset.empty() ? "its last reset (PostgreSQL 14+ says when; per-hour figures are not known)"
                              : w.stats_reset + " (per-hour figures are over that time)",
        sql::counted(static_cast<long long>(w.statements.size()), "statement"), sql::counted(w.calls, "call"),
        o.pgss_top, w.beyond_top ? fmt::format(", {} more left out", w.beyond_top) : ""));
    if (w.not_advisable)
        notes.push_back(
            fmt::format("pg_stat_statements: {} utility statements and statements on system catalogs or "
                        "no table left out (pgadvisor's own among them)",
                        w.not_advisable));
    if (w.insufficient_privilege)
        notes.push_back(
            fmt::format("pg_stat_statements: {} statements of other roles skipped: this role sees them as "
                        "<insufficient privilege> (GRANT pg_read_all_stats TO it to read them)",
                        w.insufficient_privilege));
    if (const std::string ids = session_rules(o.rules); !ids.empty())
        notes.push_back(
            fmt::format("{} need each session's statements in order; pg_stat_statements keeps "
                        "per-statement totals only, so they had nothing to read: give analyze a log",
                        ids));
    for (auto& advice : ingest::logging_advice(w.logging)) notes.push_back("for a complete next run: " + advice);
    return notes;
}

// The ingest report of a pg_stat_statements workload: one source, its statements, its notes.
ingest::IngestReport pgss_report(const server::PgssWorkload& w, const AnalysisOptions& o) {
    ingest::IngestReport report;
    ingest::FileReport file;
    file.path = server::kPgssSource;
    file.format = ingest::Format::Pgss;
    file.statements = static_cast<long long>(w.statements.size());
    file.notes = pgss_notes(w, o);
    report.notes = file.notes;
    report.statements = file.statements;
    report.files.push_back(std::move(file));
    return report;
}

// The inputs that are digests (by their content), in order, and the others. A
// folder that holds digests gives its digests and its other files; one without any stays a folder.
struct SplitInputs {
    std::vector<std::string> digests, others;
};

SplitInputs split_digests(const std::vector<std::string>& inputs) {
    SplitInputs out;
    for (const auto& input : inputs) {
        ingest::Issues unused;  // the folder is walked again by ingest, which reports what it skips
        const auto files = ingest::expand_inputs({input}, unused);
        std::vector<std::string> others;
        std::size_t digests = 0;
        for (const auto& f : files) {
            // A file named .digest that is none (empty: an ssh that failed) is refused by name, not read as a log.
            if (is_digest_file(f) || f.ends_with(".digest")) {
                out.digests.push_back(f);
                ++digests;
            } else {
                others.push_back(f);
            }
        }
        if (digests == 0) out.others.push_back(input);
        else out.others.insert(out.others.end(), others.begin(), others.end());
    }
    return out;
}

// A digest's part merged in: its workload, its ingest report, its rules' states.
// What it lacks or was read differently is said on stderr; a state that does not read stops the run.
bool merge_digest(Digest&& d, const std::string& path, std::vector<std::unique_ptr<rules::Rule>>& enabled, Analysis& a,
                  const char* command) {
    const auto ids = workload::merge_workload(a.workload, std::move(d.workload));
    a.ingest.add(d.ingest);
    for (auto& rule : enabled) {
        const auto* entry = rules::find_rule(rule->id());
        if (!entry || !entry->needs_sessions) continue;
        auto state = std::find_if(d.rules.begin(), d.rules.end(),
                                  [&](const RuleState& r) { return r.id == rule->id(); });
        if (state == d.rules.end()) {
            fmt::print(stderr,
                       "pgadvisor {}: {} holds no state of {} (the rule was off when it was written): its "
                       "findings leave out that digest's logs\n",
                       command, sql::terminal_safe(path), rule->id());
            continue;
        }
        if (state->options != rule_options_json(rule->config()))
            fmt::print(stderr, "pgadvisor {}: {} was written with other options of {} ({}): its part keeps them\n",
                       command, sql::terminal_safe(path), rule->id(), state->options.dump());
        std::string error;
        if (!rule->merge_state(state->state, ids, error)) {
            a.error = fmt::format("pgadvisor {}: {}: {}", command, path, error);
            return false;
        }
    }
    return true;
}

}  // namespace

bool read_workload(const AnalysisOptions& options, std::vector<std::unique_ptr<rules::Rule>>& enabled, Analysis& a,
                   const char* command) {
    const SplitInputs inputs = split_digests(options.inputs);
    auto builder = std::make_unique<workload::WorkloadBuilder>(
        workload::WorkloadOptions{},
        [&](const workload::Execution& e) {
            for (auto& rule : enabled) rule->observe(e);
        },
        [&](const std::string& session, std::size_t slot) {
            for (auto& rule : enabled) rule->end_session(session, slot);
        });
    double live_span_ms = 0;  // pg_stat_statements' calls were made since its reset: their time span
    if (reads_pg_stat_statements(options.inputs, options.catalog)) {
        server::PgssLiveOptions live;
        live.conninfo = options.catalog.db;
        live.top = options.pgss_top;
        live.statement_timeout_ms = static_cast<int>(options.catalog.statement_timeout_s * 1000);
        auto pgss = server::read_pgss_live(live);
        if (!pgss.error.empty()) {
            a.error = fmt::format("pgadvisor {}: {}", command, pgss.error);
            return false;
        }
        a.ingest = pgss_report(pgss, options);
        for (auto& s : pgss.statements) builder->add(s);
        live_span_ms = pgss.since_reset_ms;
    } else if (!inputs.others.empty() || inputs.digests.empty()) {
        ingest::IngestOptions in;
        in.inputs = inputs.others;
        in.format = options.format;
        in.prefix = options.prefix;
        // Memory follows the sessions open at once (issue 16): each session's state is
        // freed when it ends, or once it has been quiet longer than any rule looks back.
        in.sessions.enabled = options.close_sessions;
        in.sessions.idle_ms = rules::session_lookback_ms(enabled);
        // Reading and each statement's scans on other cores; the rules see the statements in input order.
        workload::ParallelReadOptions parallel;
        parallel.jobs = options.jobs;
        a.ingest = workload::read_into(in, *builder, parallel);
    }
    a.workload = builder->finish();
    keep_until_exit(std::move(builder));
    // Its rows have no timestamps; per-hour figures are over the time since the reset.
    if (live_span_ms > 0) a.workload.span_ms = live_span_ms;
    for (const auto& path : inputs.digests) {
        std::string error;
        auto digest = read_digest(path, error, options.jobs);
        if (!digest) {
            // Said, and the other inputs still read: as a log that cannot be read.
            ingest::FileReport unreadable;
            unreadable.path = path;
            unreadable.error = error;
            a.ingest.files.push_back(std::move(unreadable));
            fmt::print(stderr, "pgadvisor {}: {}: {}\n", command, sql::terminal_safe(path), sql::terminal_safe(error));
            continue;
        }
        if (!merge_digest(std::move(*digest), path, enabled, a, command)) return false;
    }
    return true;
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
    if (!read_workload(options, enabled, a, command)) return a;
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
    keep_until_exit(std::move(enabled));
    return a;
}

void print_nothing_read(const ingest::IngestReport& report, const char* command) {
    std::string text = fmt::format("pgadvisor {}: nothing could be read from the inputs:\n", command);
    for (const auto& why : report.why_nothing_read()) text += "  " + why + "\n";
    text = sql::terminal_safe(text);  // file names and examples come from the input
    std::fwrite(text.data(), 1, text.size(), stderr);
}

std::size_t count_at_or_above(const std::vector<rules::Finding>& findings, rules::Severity threshold) {
    return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                  [&](const rules::Finding& f) { return f.severity >= threshold; }));
}

}  // namespace pgadvisor::cli
