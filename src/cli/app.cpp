#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/schema_command.hpp"
#include "cli/digest_command.hpp"
#include "cli/ingest_command.hpp"
#include "cli/shape_command.hpp"
#include "cli/lint_command.hpp"
#include "cli/analyze_command.hpp"
#include "emit/atomic_file.hpp"
#include "emit/migrations.hpp"

namespace pgadvisor::cli {
namespace {

// ---- what an option's value must be: one definition each, for every option that
// ---- takes such a value. A bad value is a usage error (exit 2) naming the option.

// A number from `min` to `max`. CLI::Range and CLI::NonNegativeNumber let nan
// through (every comparison with it is false), and inf is no count or duration.
CLI::Validator finite_number(double min, double max) {
    return CLI::Validator(
        [min, max](std::string& text) -> std::string {
            double v = 0;
            if (!CLI::detail::lexical_cast(text, v) || !std::isfinite(v) || v < min || v > max)
                return fmt::format("{} is not a number from {:g} to {:g}", text, min, max);
            return {};
        },
        fmt::format("NUMBER in [{:g}, {:g}]", min, max));
}

// A whole number from `min` on; CLI11 would read -1 into an unsigned option as a huge count.
CLI::Validator whole_number(long long min) {
    return CLI::Validator(
        [min](std::string& text) -> std::string {
            long long v = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || end != text.data() + text.size() || v < min)
                return fmt::format("{} is not a whole number of at least {}", text, min);
            return {};
        },
        fmt::format("INT >= {}", min));
}

const CLI::Validator kTimestamp(
    [](std::string& text) -> std::string {
        return emit::is_valid_timestamp(text) ? "" : text + " is not a date and time YYYYMMDDHHMMSS (UTC)";
    },
    "YYYYMMDDHHMMSS");

// An input named on the command line exists ("-" is standard input); one that
// does not is a typo, not damaged input to skip.
const CLI::Validator kExistingInput(
    [](std::string& path) -> std::string {
        std::error_code ec;
        if (path == "-" || std::filesystem::exists(path, ec)) return {};
        return path + ": no such file or folder";
    },
    "PATH");

// statement_timeout is an int of milliseconds on the server.
constexpr double kMaxStatementTimeoutSeconds = 2147483.0;

// ---- options several commands share: one definition each, so a flag name
// ---- means the same thing (and has the same help) in every command.

// Where the schema comes from. lint judges structure only, so it takes no --assume-rows.
void add_catalog_options(CLI::App& cmd, CatalogSource& s, bool assume_rows = true) {
    cmd.add_option("--db", s.db,
                   "Live schema and statistics from this server (libpq URL or key=value; PG* variables honoured)");
    cmd.add_option("--schema", s.schema_file, "Offline schema: a DDL file (pg_dump --schema-only)");
    cmd.add_option("--migrations", s.migrations_dir,
                   "Offline schema: a migrations folder (plain, Flyway, golang-migrate, Prisma)");
    if (assume_rows)
        cmd.add_option("--assume-rows", s.assume_rows, "Offline row count, TABLE=N or SCHEMA.TABLE=N (repeatable)");
    // 0 would be PostgreSQL's "no timeout at all": a hang, never what a limit is for.
    cmd.add_option("--statement-timeout", s.statement_timeout_s,
                   "Seconds per statement on the --db server (more than 0; verify: 30 unless given)")
        ->check(finite_number(0.001, kMaxStatementTimeoutSeconds))
        ->each([&s](const std::string&) { s.statement_timeout_given = true; })
        ->capture_default_str();
}

// Logs and the like, as ingest, analyze, check and verify read them.
void add_input_options(CLI::App& cmd, std::vector<std::string>& inputs, std::string& input_format,
                       std::optional<std::string>& prefix) {
    cmd.add_option("inputs", inputs,
                   "Logs, EXPLAIN plans, pg_stat_statements CSV, .sql files or folders (gzip/zstd/bzip2/xz are "
                   "detected; a folder's schema.sql is read as the schema by analyze), or - for standard input")
        ->required()
        ->check(kExistingInput);
    cmd.add_option("--input-format", input_format, "auto|stderr|syslog|csvlog|jsonlog|explain|pgss|sql")
        ->capture_default_str();
    cmd.add_option("--prefix", prefix, "log_line_prefix of stderr logs (detected when omitted; '' for none)");
}

void add_rule_option(CLI::App& cmd, std::vector<std::string>& rules) {
    cmd.add_option("--rule", rules, "Rule option ID.KEY=VALUE, e.g. seq-scan.enabled=false (repeatable)");
}

void add_fail_on_option(CLI::App& cmd, std::string& fail_on) {
    cmd.add_option("--fail-on", fail_on, "Exit 1 on findings at or above: info|warning|error|none")
        ->capture_default_str();
}

// The report on standard output; choices: the formats this command can print.
void add_format_option(CLI::App& cmd, std::string& format, const char* choices) {
    cmd.add_option("--format", format, std::string("Report on stdout: ") + choices)->capture_default_str();
}

// For the commands that print one document (not a report): the JSON form of it.
void add_json_flag(CLI::App& cmd, bool& json) { cmd.add_flag("--json", json, "Print JSON instead of text"); }

void add_show_literals_flag(CLI::App& cmd, bool& show) {
    cmd.add_flag("--show-literals", show,
                 "Print constant values (the statements' literals, pg_stats' most common values); hidden by default");
}

// ---- the commands, one function each; `exit_code` receives the command's result.

void add_shape_command(CLI::App& app, ShapeOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("shape", "Parse SQL with libpg_query and print each statement's shape");
    cmd->add_option("inputs", o.inputs, "SQL files, or - for standard input")->required()->check(kExistingInput);
    add_json_flag(*cmd, o.json);
    add_show_literals_flag(*cmd, o.show_literals);
    cmd->callback([&] { exit_code = run_shape(o); });
}

void add_schema_command(CLI::App& app, SchemaOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("schema",
                                   "Load the catalog (live, from a DDL file or a migrations folder) and print it");
    add_catalog_options(*cmd, o.catalog);
    add_json_flag(*cmd, o.json);
    add_show_literals_flag(*cmd, o.show_literals);
    cmd->callback([&] { exit_code = run_schema(o); });
}

void add_ingest_command(CLI::App& app, IngestCommandOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("ingest",
                                   "Read logs, EXPLAIN plans and pg_stat_statements exports; print a summary");
    add_input_options(*cmd, o.inputs, o.input_format, o.prefix);
    cmd->add_option("--top", o.top, "How many shapes to list")->check(whole_number(0))->capture_default_str();
    add_json_flag(*cmd, o.json);
    cmd->callback([&] { exit_code = run_ingest(o); });
}

void add_digest_command(CLI::App& app, DigestOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("digest",
                                   "Read logs where they lie and write a compact, literal-free digest that analyze "
                                   "merges with others (docs/scaling.md)");
    add_input_options(*cmd, o.inputs, o.input_format, o.prefix);
    cmd->add_option("-o,--output", o.output, "The digest file to write (replaced whole), or - for standard output")
        ->required();
    add_rule_option(*cmd, o.rules);
    cmd->add_flag("--show-literals", o.show_literals,
                  "Keep the logs' values in the digest (constants, sample values for live planning); left out by "
                  "default");
    cmd->add_option("-j,--jobs", o.jobs, "Threads that read statements (default: one per core)")
        ->check(whole_number(1));
    cmd->callback([&] { exit_code = run_digest(o); });
}

void add_lint_command(CLI::App& app, LintOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("lint", "Check migration files for index hygiene problems");
    // No existence check here: lint reports a file it cannot read and still checks the others (exit 2).
    cmd->add_option("migrations", o.files, "Migration files under review, in apply order, or a migrations folder")
        ->required();
    add_catalog_options(*cmd, o.catalog, /*assume_rows=*/false);
    add_format_option(*cmd, o.format, "text|json|markdown|sarif");
    add_fail_on_option(*cmd, o.fail_on);
    add_rule_option(*cmd, o.rules);
    cmd->callback([&] { exit_code = run_lint(o); });
}

void add_rules_command(CLI::App& app, RulesOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("rules",
                                   "List the rules (id, severity, summary) or print the effective configuration");
    cmd->add_flag("--show-config", o.show_config, "Print the effective configuration as TOML");
    add_rule_option(*cmd, o.rules);
    cmd->callback([&] { exit_code = run_rules(o); });
}

// analyze, check and verify read the same inputs the same way.
void add_analysis_options(CLI::App& cmd, AnalyzeOptions& o) {
    add_input_options(cmd, o.inputs, o.input_format, o.prefix);
    add_catalog_options(cmd, o.catalog);
    add_rule_option(cmd, o.rules);
    cmd.add_option("--rtt", o.rtt_ms, "Round trip per statement, ms (N+1 and UPSERT gains)")
        ->check(finite_number(0, 60000))
        ->capture_default_str();
    add_show_literals_flag(cmd, o.show_literals);
    cmd.add_option("--max-indexes-per-table", o.max_indexes_per_table, "New indexes proposed per table at most")
        ->check(whole_number(0))
        ->capture_default_str();
    cmd.add_flag("--allow-real-index", o.allow_real_index,
                 "Without HypoPG: build each candidate index inside a rolled-back transaction to plan with it "
                 "(locks the table against writes while it builds)");
    cmd.add_flag("--no-what-if", o.offline_gain, "With --db: estimate gains offline, do not plan on the server");
    cmd.add_option("--out", o.out_dir, "Write migrations and review files into this folder (never over a file)");
    cmd.add_option("--layout", o.layout, "plain|flyway|golang-migrate|prisma|django|alembic|rails|knex")
        ->capture_default_str();
    cmd.add_option("--prisma-schema", o.prisma_schema,
                   "With --layout prisma: the app's schema.prisma, to name models and fields (@@map, @map) in the "
                   "schema.prisma lines written beside the migrations")
        ->check(CLI::ExistingFile);
    cmd.add_option("--timestamp", o.timestamp, "Migrations' timestamp YYYYMMDDHHMMSS (default: now, UTC)")
        ->check(kTimestamp);
    add_format_option(cmd, o.format, "text|json|markdown|sarif");
    cmd.add_option("--report-json", o.report_json, "Also write the JSON report to this file");
    cmd.add_option("--report-markdown", o.report_markdown, "Also write the Markdown report (PR comment) to this file");
    cmd.add_option("--report-sarif", o.report_sarif, "Also write the SARIF 2.1.0 report to this file");
    cmd.add_option("--report-text", o.report_text, "Also write the text report to this file");
    cmd.add_flag("--no-color", o.no_color, "No ANSI colours in the text report");
    cmd.add_option("-j,--jobs", o.jobs,
                   "Threads that read statements' keys and values beside the reading thread and the rules' "
                   "(default: one per core; 1: all on one thread). Results are the same for any number")
        ->check(whole_number(1));
}

// analyze and check without inputs read the workload of --db's pg_stat_statements.
void allow_pg_stat_statements_workload(CLI::App& cmd, AnalyzeOptions& o) {
    cmd.get_option("inputs")->required(false);
    cmd.add_option("--pgss-top", o.pgss_top,
                   "No inputs, with --db: the workload is pg_stat_statements, its top statements by total time")
        ->check(whole_number(1))
        ->capture_default_str();
}

void add_analyze_command(CLI::App& app, AnalyzeOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("analyze",
                                   "Analyse logs, plans and statistics (or, with --db and no input, "
                                   "pg_stat_statements); print a report and write migrations");
    add_analysis_options(*cmd, o);
    allow_pg_stat_statements_workload(*cmd, o);
    cmd->callback([&] { exit_code = run_analyze(o); });
}

void add_check_command(CLI::App& app, AnalyzeOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("check",
                                   "Analyse for CI: exit 1 on findings at or above --fail-on; Markdown and SARIF");
    add_analysis_options(*cmd, o);
    allow_pg_stat_statements_workload(*cmd, o);
    add_fail_on_option(*cmd, o.fail_on);
    cmd->add_option("--baseline", o.baseline, "Known findings (from --write-baseline): only new ones fail");
    cmd->add_option("--write-baseline", o.write_baseline, "Write the findings of this run as a baseline");
    cmd->callback([&] { exit_code = run_check(o); });
}

void add_verify_command(CLI::App& app, VerifyOptions& o, int& exit_code) {
    auto* cmd = app.add_subcommand("verify", "Build the proposed indexes on staging and measure before/after");
    add_analysis_options(*cmd, o.analysis);
    cmd->add_flag("--yes", o.yes, "Really build the indexes on the --db server");
    cmd->add_flag("--drop-after", o.drop_after, "Drop each index again after measuring");
    cmd->add_option("--repetitions", o.repetitions, "EXPLAIN ANALYZE runs per parameter set")
        ->check(whole_number(1))
        ->capture_default_str();
    cmd->add_flag("--analyze-writes", o.analyze_writes,
                  "Also measure INSERT/UPDATE/DELETE (inside transactions that are rolled back)");
    cmd->callback([&] { exit_code = run_verify(o); });
}

// What `pgadvisor --help` says before and after the command list.
void describe(CLI::App& app) {
    app.description(
        "pgadvisor: reads what PostgreSQL actually did (logs, auto_explain and EXPLAIN plans,\n"
        "pg_stat_statements exports), finds N+1 queries, harmful sequential scans and\n"
        "check-then-insert races, and writes the fix as reviewable migration SQL.");
    app.name("pgadvisor");
    app.set_version_flag("-V,--version", std::string("pgadvisor ") + PGADVISOR_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or input error.\n"
        "Docs: README.md, docs/ARCHITECTURE.md, docs/rules/<rule-id>.md");
}

// Every command's options, alive while CLI11 parses into them and the callback runs.
struct CommandOptions {
    ShapeOptions shape;
    SchemaOptions schema;
    IngestCommandOptions ingest;
    DigestOptions digest;
    LintOptions lint;
    RulesOptions rules;
    AnalyzeOptions analyze, check;
    VerifyOptions verify;
};

// Parses, which runs the chosen command's callback; help and version exit 0, a usage error 2.
int parse_and_run(CLI::App& app, int argc, char** argv, const int& exit_code) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    return exit_code;
}

}  // namespace

int run(int argc, char** argv) {
    // Reports and migrations are written whole or not at all, even when interrupted.
    emit::remove_temp_file_on_signal();
    CLI::App app;
    describe(app);
    int exit_code = kExitOk;
    CommandOptions o;
    add_shape_command(app, o.shape, exit_code);
    add_schema_command(app, o.schema, exit_code);
    add_ingest_command(app, o.ingest, exit_code);
    add_digest_command(app, o.digest, exit_code);
    add_lint_command(app, o.lint, exit_code);
    add_rules_command(app, o.rules, exit_code);
    add_analyze_command(app, o.analyze, exit_code);
    add_check_command(app, o.check, exit_code);
    add_verify_command(app, o.verify, exit_code);
    return parse_and_run(app, argc, argv, exit_code);
}

}  // namespace pgadvisor::cli
