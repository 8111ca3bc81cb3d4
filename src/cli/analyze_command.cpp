#include "cli/analyze_command.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <utility>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "advise/advise.hpp"
#include "catalog/index_sql.hpp"
#include "server/apply_sql.hpp"
#include "server/whatif.hpp"
#include "cli/analysis.hpp"
#include "cli/app.hpp"
#include "cli/baseline.hpp"
#include "cli/keep_until_exit.hpp"
#include "cli/rule_options.hpp"
#include "emit/atomic_file.hpp"
#include "emit/migrations.hpp"
#include "emit/report.hpp"
#include "sql/shape.hpp"
#include "sql/text.hpp"
#include "workload/parallel_read.hpp"

namespace pgadvisor::cli {
namespace {

namespace fs = std::filesystem;

struct Run {
    Analysis analysis;
    advise::Advice advice;
    emit::WriteResult written;
    std::size_t suppressed = 0;
};

// `pgadvisor analyze examples/shop/`: a folder with a schema.sql (pg_dump
// --schema-only) beside its logs is read as "this schema, these logs" when no
// other schema source is given; schema.sql is then not read as a workload, nor
// the Markdown notes beside it.
void adopt_folder_schema(AnalyzeOptions& o) {
    if (o.catalog.given()) return;
    for (std::size_t i = 0; i < o.inputs.size(); ++i) {
        std::error_code ec;
        const fs::path dir = o.inputs[i];
        if (!fs::is_directory(dir, ec) || !fs::is_regular_file(dir / "schema.sql", ec)) continue;
        o.catalog.schema_file = (dir / "schema.sql").string();
        std::vector<std::string> rest;
        for (const auto& e : fs::directory_iterator(dir, ec))
            // Notes beside the capture (SOURCE.md, README.md) are not logs.
            if (e.path().filename() != "schema.sql" && e.path().extension() != ".md") rest.push_back(e.path().string());
        std::sort(rest.begin(), rest.end());
        o.inputs.erase(o.inputs.begin() + static_cast<long>(i));
        o.inputs.insert(o.inputs.end(), rest.begin(), rest.end());
        fmt::print(stderr, "pgadvisor: using {} as the schema\n", o.catalog.schema_file);
        return;
    }
}

std::optional<Run> run_pipeline(AnalyzeOptions o, const char* command, bool check, int& exit_code) {
    adopt_folder_schema(o);
    if (o.inputs.empty() && o.catalog.db.empty()) {
        fmt::print(stderr,
                   "pgadvisor {}: give the inputs to read (logs, plans, .sql files), or --db URL alone to read the "
                   "server's pg_stat_statements\n",
                   command);
        exit_code = kExitUsage;
        return std::nullopt;
    }
    Run run;
    AnalysisOptions a;
    a.inputs = o.inputs;
    const auto format = parse_input_format(o.input_format, command);
    if (!format) {
        exit_code = kExitUsage;
        return std::nullopt;
    }
    a.format = *format;
    a.prefix = o.prefix;
    a.catalog = o.catalog;
    a.rules = load_rule_set(o.rules);
    if (report_config_errors(a.rules)) {
        exit_code = kExitUsage;
        return std::nullopt;
    }
    a.rtt_ms = o.rtt_ms;
    a.show_literals = o.show_literals;
    a.pgss_top = o.pgss_top;
    a.jobs = o.jobs == 0 ? workload::default_jobs() : o.jobs;
    run.analysis = run_analysis(a, command);
    if (!run.analysis.error.empty()) {
        fmt::print(stderr, "{}\n", run.analysis.error);
        exit_code = kExitUsage;
        return std::nullopt;
    }
    if (run.analysis.ingest.nothing_read()) {
        print_nothing_read(run.analysis.ingest, command);
        exit_code = kExitUsage;
        return std::nullopt;
    }

    if (check && !o.baseline.empty()) {
        std::string error;
        auto b = read_baseline(o.baseline, error);
        if (!b) {
            fmt::print(stderr, "pgadvisor {}: {}\n", command, error);
            exit_code = kExitUsage;
            return std::nullopt;
        }
        run.suppressed = remove_known(run.analysis.findings, *b);
    }

    advise::AdviceInput in;
    in.findings = &run.analysis.findings;
    in.workload = &run.analysis.workload;
    in.catalog = run.analysis.catalog.catalog ? &*run.analysis.catalog.catalog : nullptr;
    in.catalog_is_live = run.analysis.catalog.live;
    advise::AdviseOptions ao;
    ao.max_new_indexes_per_table = o.max_indexes_per_table;
    if (run.analysis.catalog.live && !o.offline_gain) ao.conninfo = o.catalog.db;
    ao.allow_real_index = o.allow_real_index;
    ao.statement_timeout_ms = static_cast<int>(o.catalog.statement_timeout_s * 1000);
    ao.round_trip_ms = o.rtt_ms;
    ao.show_literals = o.show_literals;
    run.advice = advise::advise(in, ao);

    if (!o.out_dir.empty()) {
        const auto layout = catalog::migration_layout_from_string(o.layout);
        if (!layout) {
            fmt::print(
                stderr,
                "pgadvisor {}: unknown --layout '{}' (plain, flyway, golang-migrate, prisma, django, alembic, rails, knex)\n",
                command, o.layout);
            exit_code = kExitUsage;
            return std::nullopt;
        }
        emit::MigrationOptions mo;
        mo.layout = *layout;
        mo.timestamp = o.timestamp;
        mo.tool_version = PGADVISOR_VERSION;
        std::optional<catalog::PrismaSchema> prisma_schema;
        if (!o.prisma_schema.empty()) {
            prisma_schema = catalog::read_prisma_schema(o.prisma_schema);
            for (const auto& e : prisma_schema->errors)
                fmt::print(stderr, "pgadvisor {}: {}: {}\n", command, e.file, e.message);
            mo.prisma_schema = &*prisma_schema;
        }
        run.written = emit::write_migrations(run.advice.recommendations, o.out_dir, mo);
        for (const auto& e : run.written.errors) fmt::print(stderr, "pgadvisor {}: {}\n", command, e);
        for (const auto& s : run.written.skipped) fmt::print(stderr, "pgadvisor {}: {}\n", command, s);
    }
    return run;
}

emit::ReportInput report_input(const Run& run, const AnalyzeOptions& o, const char* command) {
    emit::ReportInput r;
    r.command = command;
    r.tool_version = PGADVISOR_VERSION;
    r.inputs = o.inputs;
    r.ingest = &run.analysis.ingest;
    r.workload = &run.analysis.workload;
    // The readers' notes (a log_line_prefix changed mid-file, prefix fields a
    // client sets) qualify what the report is built from: ingest prints them, so
    // must every report.
    r.notes = run.analysis.ingest.notes;
    if (run.analysis.catalog.catalog) {
        r.catalog_source = run.analysis.catalog.catalog->source;
        r.catalog_live = run.analysis.catalog.live;
        for (const auto& n : run.analysis.catalog.catalog->notes) r.notes.push_back(n);
        for (auto& n : workload::size_notes(run.analysis.workload.table_sizes, *run.analysis.catalog.catalog))
            r.notes.push_back(std::move(n));
        for (const auto& e : run.analysis.catalog.catalog->errors)
            r.notes.push_back(fmt::format("{}:{}: schema statement skipped: {}", e.file, e.line, e.message));
    }
    r.findings = &run.analysis.findings;
    r.recommendations = &run.advice.recommendations;
    r.index_set = &run.advice.index_set;
    r.migrations = run.written.written;
    for (const auto& n : run.advice.notes) r.notes.push_back(n);
    for (const auto& e : run.written.errors) r.notes.push_back(e);
    for (const auto& n : run.written.notes) r.notes.push_back(n);
    r.baseline_suppressed = run.suppressed;
    return r;
}

// The input a report path names (the same file, by any path or link), if any:
// a report written there would destroy what it was made from.
const std::string* same_file_as_input(const std::string& path, const std::vector<std::string>& inputs) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return nullptr;
    for (const auto& input : inputs)
        if (input != "-" && std::filesystem::equivalent(path, input, ec) && !ec) return &input;
    return nullptr;
}

bool write_reports(const emit::ReportInput& r, const AnalyzeOptions& o, const char* command) {
    bool ok = true;
    const std::pair<const std::string*, emit::ReportFormat> files[] = {
        {&o.report_json, emit::ReportFormat::Json},
        {&o.report_markdown, emit::ReportFormat::Markdown},
        {&o.report_sarif, emit::ReportFormat::Sarif},
        {&o.report_text, emit::ReportFormat::Text},
    };
    for (const auto& [path, format] : files) {
        if (path->empty()) continue;
        if (const std::string* input = same_file_as_input(*path, o.inputs)) {
            fmt::print(stderr, "pgadvisor {}: {}: is the input {}, not overwritten with a report\n", command, *path,
                       *input);
            ok = false;
            continue;
        }
        std::string error;
        if (!emit::write_file_atomically(*path, emit::render_report(r, format), emit::Overwrite::Replace, error)) {
            fmt::print(stderr, "pgadvisor {}: {}\n", command, error);
            ok = false;
        }
    }
    return ok;
}

void print_report(const emit::ReportInput& r, const AnalyzeOptions& o, emit::ReportFormat format) {
    emit::RenderOptions ro;
    ro.color = format == emit::ReportFormat::Text && !o.no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    fmt::print("{}", emit::render_report(r, format, ro));
    std::fflush(stdout);
}

std::optional<emit::ReportFormat> stdout_format(const AnalyzeOptions& o, const char* command) {
    auto f = emit::report_format_from_string(o.format);
    if (!f)
        fmt::print(stderr, "pgadvisor {}: unknown --format '{}' (text, json, markdown, sarif)\n", command, o.format);
    return f;
}

}  // namespace

int run_analyze(const AnalyzeOptions& o) {
    const auto format = stdout_format(o, "analyze");
    if (!format) return kExitUsage;
    int exit_code = kExitOk;
    auto run = run_pipeline(o, "analyze", false, exit_code);
    if (!run) return exit_code;
    const auto report = report_input(*run, o, "analyze");
    print_report(report, o, *format);
    const bool reports_ok = write_reports(report, o, "analyze");
    const int code = run->written.errors.empty() && reports_ok ? kExitOk : kExitUsage;
    keep_until_exit(std::move(*run));
    return code;
}

int run_check(const AnalyzeOptions& o) {
    const auto format = stdout_format(o, "check");
    if (!format) return kExitUsage;
    std::optional<rules::Severity> threshold;
    if (o.fail_on != "none") {
        threshold = rules::severity_from_string(o.fail_on);
        if (!threshold) {
            fmt::print(stderr, "pgadvisor check: unknown --fail-on '{}' (info, warning, error, none)\n", o.fail_on);
            return kExitUsage;
        }
    }
    int exit_code = kExitOk;
    auto run = run_pipeline(o, "check", true, exit_code);
    if (!run) return exit_code;
    if (!o.write_baseline.empty()) {
        std::string error;
        if (!write_baseline(o.write_baseline, run->analysis.findings, error)) {
            fmt::print(stderr, "pgadvisor check: {}\n", error);
            return kExitUsage;
        }
    }
    auto report = report_input(*run, o, "check");
    report.fail_on = threshold;
    report.failed = threshold && count_at_or_above(run->analysis.findings, *threshold) > 0;
    print_report(report, o, *format);
    if (!write_reports(report, o, "check") || !run->written.errors.empty()) return kExitUsage;
    const int code = report.failed ? kExitFindings : kExitOk;
    keep_until_exit(std::move(*run));
    return code;
}

// ---- verify ------------------------------------------------------------------

namespace {

// The statements of a rendered migration file, as libpg_query splits them;
// comments between them are left out.
// A plain-layout migration's statements as psql runs them (its \gexec retry included).
std::vector<sql::ScriptStatement> statements_of(const std::string& text) {
    auto statements = sql::psql_script_statements(text);
    return statements.value ? std::move(*statements.value) : std::vector<sql::ScriptStatement>{};
}

// A CONCURRENTLY build that fails (duplicates under a unique index, a lock or
// statement timeout) leaves an INVALID index behind, which every write then
// updates: verify created it, so verify drops it, --drop-after or not.
void drop_invalid_leftover(const std::string& conninfo, const advise::Recommendation& r) {
    const auto dropped = server::apply_statements(conninfo, statements_of(catalog::drop_invalid_index_psql(r.index)));
    if (dropped.error.empty()) fmt::print("  the INVALID index the failed build may have left is dropped\n");
    else fmt::print("  the INVALID index the failed build left could not be dropped: {}\n", dropped.error);
}

}  // namespace

namespace {

// The statements an index serves, with the parameter values the log gave
// (shapes[i] is the workload shape of statements[i]).
std::vector<server::WhatIfStatement> statements_served(const Run& run, const advise::Recommendation& r,
                                                       std::vector<const workload::ShapeInfo*>& shapes) {
    std::vector<server::WhatIfStatement> stmts;
    for (const auto& e : r.statements) {
        const auto* s = run.analysis.workload.find(e.fingerprint);
        if (!s || !s->shape) continue;
        server::WhatIfStatement ws;
        ws.statement = s->normalized;
        ws.param_sets = workload::parameter_sets(*s, 3);
        if (ws.param_sets.empty()) continue;
        stmts.push_back(std::move(ws));
        shapes.push_back(s);
    }
    return stmts;
}

// The index exactly as the migration writes it (plain layout): {up, down}.
std::pair<std::string, std::string> migration_of(const advise::Recommendation& r) {
    emit::MigrationOptions plain;
    plain.tool_version = PGADVISOR_VERSION;
    std::string up, down;
    for (const auto& f : emit::render_migrations({r}, plain)) {
        if (f.role == emit::FileRole::Up) up = f.content;
        if (f.role == emit::FileRole::Down) down = f.content;
    }
    return {up, down};
}

// One line per statement: calls, estimated ms per call, measured before/after.
void print_measurements(const advise::Recommendation& r, const std::vector<const workload::ShapeInfo*>& shapes,
                        const server::MeasureResult& before, const server::MeasureResult& after) {
    for (std::size_t i = 0; i < shapes.size() && i < before.measurements.size() && i < after.measurements.size(); ++i) {
        const auto& b = before.measurements[i];
        const auto& a = after.measurements[i];
        // One line: a statement's line breaks would break the table.
        const std::string label = sql::cut_utf8_prefix(sql::one_line(shapes[i]->normalized), 46);
        if (!b.skipped.empty() || !a.skipped.empty()) {
            fmt::print("  {:<46} skipped: {}\n", label, b.skipped.empty() ? a.skipped : b.skipped);
            continue;
        }
        fmt::print("  {:<46} {:>10} {:>10.3f} {:>10.3f} {:>10.3f} {:>10.3f}\n", label, shapes[i]->stats.calls,
                   r.gain.ms_per_call, b.execution_ms, a.execution_ms, b.execution_ms - a.execution_ms);
    }
}

}  // namespace

int run_verify(const VerifyOptions& v) {
    const AnalyzeOptions& o = v.analysis;
    if (o.catalog.db.empty()) {
        fmt::print(stderr, "pgadvisor verify: --db is required (the staging server to build the indexes on)\n");
        return kExitUsage;
    }
    int exit_code = kExitOk;
    auto run = run_pipeline(o, "verify", false, exit_code);
    if (!run) return exit_code;
    std::vector<const advise::Recommendation*> indexes;
    for (const auto& r : run->advice.recommendations)
        if (r.kind == advise::RecommendationKind::CreateIndex ||
            r.kind == advise::RecommendationKind::CreateUniqueIndex)
            indexes.push_back(&r);
    const std::string target = run->analysis.catalog.catalog ? run->analysis.catalog.catalog->source : "the server";
    if (indexes.empty()) {
        fmt::print("pgadvisor verify: no index to verify\n");
        for (const auto& n : run->advice.notes) fmt::print("  note: {}\n", n);
        return kExitOk;
    }
    if (!v.yes) {
        fmt::print(stderr,
                   "pgadvisor verify builds {} index{} for real on {} (CREATE INDEX CONCURRENTLY: no write lock, but "
                   "it reads the whole table and adds write cost until dropped); pass --yes to go ahead\n",
                   indexes.size(), indexes.size() == 1 ? "" : "es", target);
        for (const auto* r : indexes) fmt::print(stderr, "  {}\n", catalog::create_index_sql(r->index));
        return kExitUsage;
    }

    server::MeasureOptions mo;
    mo.conninfo = o.catalog.db;
    mo.repetitions = v.repetitions;
    mo.analyze_writes = v.analyze_writes;
    // EXPLAIN ANALYZE runs the statements: 30 s unless the user set a limit, which is then the limit.
    mo.statement_timeout_ms = static_cast<int>(
        (o.catalog.statement_timeout_given ? o.catalog.statement_timeout_s : 30.0) * 1000);
    int failures = 0;
    fmt::print("EXPLAIN ANALYZE, median of {} run{} per parameter set, statement_timeout {:g} s{}\n", mo.repetitions,
               mo.repetitions == 1 ? "" : "s", mo.statement_timeout_ms / 1000.0,
               o.catalog.statement_timeout_given ? "" : " (--statement-timeout sets it)");
    fmt::print("{:<48} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "index / statement", "calls", "est ms/c", "before",
               "after", "saved");
    for (const auto* r : indexes) {
        std::vector<const workload::ShapeInfo*> shapes;
        const auto stmts = statements_served(*run, *r, shapes);
        const auto before = server::measure(mo, stmts);
        if (!before.connection_error.empty()) {
            fmt::print(stderr, "pgadvisor verify: {}\n", before.connection_error);
            return kExitUsage;
        }
        const auto [up, down] = migration_of(*r);
        const auto statements = statements_of(up);
        auto applied = server::apply_statements(o.catalog.db, statements);
        if (statements.empty())
            applied.error = "the migration's statements could not be read (a bug: please report it)";
        fmt::print("{}\n", catalog::create_index_sql(r->index));
        if (!applied.error.empty()) {
            fmt::print("  not built: {}\n", applied.error);
            drop_invalid_leftover(o.catalog.db, *r);
            ++failures;
            continue;
        }
        const auto after = server::measure(mo, stmts);
        print_measurements(*r, shapes, before, after);
        if (v.drop_after) {
            const auto dropped = server::apply_statements(o.catalog.db, statements_of(down));
            if (!dropped.error.empty()) fmt::print("  not dropped: {}\n", dropped.error), ++failures;
            else fmt::print("  dropped again (--drop-after)\n");
        }
    }
    return failures ? kExitUsage : kExitOk;
}

}  // namespace pgadvisor::cli
