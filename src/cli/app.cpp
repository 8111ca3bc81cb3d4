#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>
#include <string>

#include "cli/schema_command.hpp"
#include "cli/ingest_command.hpp"
#include "cli/shape_command.hpp"
#include "cli/lint_command.hpp"
#include "cli/analyze_command.hpp"
#include "emit/atomic_file.hpp"

namespace pgadvisor::cli {
int run(int argc, char** argv) {
    // Reports and migrations are written whole or not at all, even when interrupted.
    emit::remove_temp_file_on_signal();
    CLI::App app{
        "pgadvisor: reads what PostgreSQL actually did (logs, auto_explain and EXPLAIN plans,\n"
        "pg_stat_statements exports), finds N+1 queries, harmful sequential scans and\n"
        "check-then-insert races, and writes the fix as reviewable migration SQL."};
    app.name("pgadvisor");
    app.set_version_flag("-V,--version", std::string("pgadvisor ") + PGADVISOR_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or input error.\n"
        "Docs: README.md, docs/ARCHITECTURE.md, docs/rules/<rule-id>.md");

    int exit_code = kExitOk;

    ShapeOptions shape;
    auto* shape_cmd = app.add_subcommand("shape", "Parse SQL with libpg_query and print each statement's shape");
    shape_cmd->add_option("inputs", shape.inputs, "SQL files, or - for standard input")->required();
    shape_cmd->add_flag("--json", shape.json, "Print JSON (one document with a list of statements)");
    shape_cmd->add_flag("--show-literals", shape.show_literals, "Include constant values (hidden by default)");
    shape_cmd->callback([&] { exit_code = run_shape(shape); });

    SchemaOptions schema;
    auto* schema_cmd = app.add_subcommand("schema", "Load the catalog (live, from a DDL file or a migrations folder) and print it");
    schema_cmd->add_option("--db", schema.db, "libpq URL or key=value string (PG* environment variables honoured)");
    schema_cmd->add_option("--schema", schema.schema_file, "DDL file, e.g. pg_dump --schema-only output");
    schema_cmd->add_option("--migrations", schema.migrations_dir, "Migrations folder (plain, Flyway, golang-migrate, Prisma)");
    schema_cmd->add_flag("--json", schema.json, "Print JSON");
    schema_cmd->add_flag("--show-literals", schema.show_literals, "Include most-common values from pg_stats (hidden by default)");
    schema_cmd->add_option("--statement-timeout", schema.statement_timeout_s, "Seconds per catalog query (live)")->capture_default_str();
    schema_cmd->add_option("--assume-rows", schema.assume_rows, "Offline row count, TABLE=N or SCHEMA.TABLE=N (repeatable)");
    schema_cmd->callback([&] { exit_code = run_schema(schema); });

    IngestCommandOptions ingest;
    auto* ingest_cmd = app.add_subcommand("ingest", "Read logs, EXPLAIN plans and pg_stat_statements exports; print a summary");
    ingest_cmd->add_option("inputs", ingest.inputs, "Files or directories (gzip/zstd are detected), or - for standard input")->required();
    ingest_cmd->add_option("--format", ingest.format, "auto|stderr|syslog|csvlog|jsonlog|explain|pgss|sql")->capture_default_str();
    ingest_cmd->add_option("--prefix", ingest.prefix, "log_line_prefix of stderr logs (detected when omitted)");
    ingest_cmd->add_option("--top", ingest.top, "How many shapes to list")->capture_default_str();
    ingest_cmd->add_flag("--json", ingest.json, "Print JSON");
    ingest_cmd->callback([&] { exit_code = run_ingest(ingest); });

    LintOptions lint;
    auto* lint_cmd = app.add_subcommand("lint", "Check migration files for index hygiene problems");
    lint_cmd->add_option("migrations", lint.files, "Migration files under review, in apply order")->required();
    lint_cmd->add_option("--schema", lint.schema_file, "The schema before the files: a DDL file (pg_dump --schema-only)");
    lint_cmd->add_option("--migrations", lint.migrations_dir, "The schema before the files: a migrations folder");
    lint_cmd->add_option("--db", lint.db, "The schema before the files: a live database (libpq URL or key=value)");
    lint_cmd->add_flag("--json", lint.json, "Print JSON");
    lint_cmd->add_option("--fail-on", lint.fail_on, "Exit 1 on findings at or above: info|warning|error|none")->capture_default_str();
    lint_cmd->add_option("--rule", lint.rules, "Rule option ID.KEY=VALUE, e.g. index-not-concurrently.enabled=false (repeatable)");
    lint_cmd->add_option("--statement-timeout", lint.statement_timeout_s, "Seconds per catalog query (--db)")->capture_default_str();
    lint_cmd->callback([&] { exit_code = run_lint(lint); });

    RulesOptions rules_opts;
    auto* rules_cmd = app.add_subcommand("rules", "List the rules (id, severity, summary) or print the effective configuration");
    rules_cmd->add_flag("--show-config", rules_opts.show_config, "Print the effective configuration as TOML");
    rules_cmd->add_option("--rule", rules_opts.rules, "Rule option ID.KEY=VALUE (repeatable)");
    rules_cmd->callback([&] { exit_code = run_rules(rules_opts); });

    // analyze, check and verify read the same inputs the same way.
    auto add_analysis_options = [](CLI::App* cmd, AnalyzeOptions& o, bool inputs_required) {
        auto* in = cmd->add_option("inputs", o.inputs,
                                   "Logs, EXPLAIN plans, pg_stat_statements CSV, .sql files or folders (a folder's "
                                   "schema.sql is read as the schema), or - for standard input");
        if (inputs_required) in->required();
        cmd->add_option("--input-format", o.input_format, "auto|stderr|syslog|csvlog|jsonlog|explain|pgss|sql")
            ->capture_default_str();
        cmd->add_option("--prefix", o.prefix, "log_line_prefix of stderr logs (detected when omitted)");
        cmd->add_option("--db", o.catalog.db, "Live schema and statistics, what-if planning (libpq URL or key=value)");
        cmd->add_option("--schema", o.catalog.schema_file, "Offline schema: a DDL file (pg_dump --schema-only)");
        cmd->add_option("--migrations", o.catalog.migrations_dir, "Offline schema: a migrations folder");
        cmd->add_option("--assume-rows", o.catalog.assume_rows, "Offline row count, TABLE=N (repeatable)");
        cmd->add_option("--statement-timeout", o.catalog.statement_timeout_s, "Seconds per statement on the server")
            ->capture_default_str();
        cmd->add_option("--rule", o.rules, "Rule option ID.KEY=VALUE (repeatable)");
        cmd->add_option("--rtt", o.rtt_ms, "Round trip per statement, ms (N+1 and UPSERT gains)")->capture_default_str();
        cmd->add_flag("--show-literals", o.show_literals, "Print constant values from the inputs (hidden by default)");
        cmd->add_option("--max-indexes-per-table", o.max_indexes_per_table, "New indexes proposed per table at most")
            ->capture_default_str();
        cmd->add_flag("--allow-real-index", o.allow_real_index,
                      "Without HypoPG: build each candidate index inside a rolled-back transaction to plan with it "
                      "(locks the table against writes while it builds)");
        cmd->add_flag("--no-what-if", o.offline_gain, "With --db: estimate gains offline, do not plan on the server");
        cmd->add_option("--out", o.out_dir, "Write migrations and review files into this folder (never over a file)");
        cmd->add_option("--layout", o.layout, "plain|flyway|golang-migrate|prisma")->capture_default_str();
        cmd->add_option("--timestamp", o.timestamp, "Migrations' timestamp YYYYMMDDHHMMSS (default: now, UTC)");
        cmd->add_option("--format", o.format, "Report on stdout: text|json|markdown|sarif")->capture_default_str();
        cmd->add_option("--report-json", o.report_json, "Also write the JSON report to this file");
        cmd->add_option("--report-markdown", o.report_markdown, "Also write the Markdown report (PR comment) to this file");
        cmd->add_option("--report-sarif", o.report_sarif, "Also write the SARIF 2.1.0 report to this file");
        cmd->add_option("--report-text", o.report_text, "Also write the text report to this file");
        cmd->add_flag("--no-color", o.no_color, "No ANSI colours in the text report");
    };

    AnalyzeOptions analyze;
    auto* analyze_cmd = app.add_subcommand("analyze", "Analyse logs, plans and statistics; print a report and write migrations");
    add_analysis_options(analyze_cmd, analyze, true);
    analyze_cmd->callback([&] { exit_code = run_analyze(analyze); });

    AnalyzeOptions check;
    auto* check_cmd = app.add_subcommand("check", "Analyse for CI: exit 1 on findings at or above --fail-on; Markdown and SARIF");
    add_analysis_options(check_cmd, check, true);
    check_cmd->add_option("--fail-on", check.fail_on, "Exit 1 on findings at or above: info|warning|error|none")
        ->capture_default_str();
    check_cmd->add_option("--baseline", check.baseline, "Known findings (from --write-baseline): only new ones fail");
    check_cmd->add_option("--write-baseline", check.write_baseline, "Write the findings of this run as a baseline");
    check_cmd->callback([&] { exit_code = run_check(check); });

    VerifyOptions verify;
    auto* verify_cmd = app.add_subcommand("verify", "Build the proposed indexes on staging and measure before/after");
    add_analysis_options(verify_cmd, verify.analysis, true);
    verify_cmd->add_flag("--yes", verify.yes, "Really build the indexes on the --db server");
    verify_cmd->add_flag("--drop-after", verify.drop_after, "Drop each index again after measuring");
    verify_cmd->add_option("--repetitions", verify.repetitions, "EXPLAIN ANALYZE runs per parameter set")->capture_default_str();
    verify_cmd->add_flag("--analyze-writes", verify.analyze_writes,
                         "Also measure INSERT/UPDATE/DELETE (inside transactions that are rolled back)");
    verify_cmd->callback([&] { exit_code = run_verify(verify); });

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

}  // namespace pgadvisor::cli
