#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>
#include <string>

#include "cli/schema_command.hpp"
#include "cli/ingest_command.hpp"
#include "cli/shape_command.hpp"
#include "cli/lint_command.hpp"

namespace pgadvisor::cli {
namespace {

// A subcommand the design names but that is not built yet: say so, exit 2.
int not_implemented(const std::string& name) {
    fmt::print(stderr, "pgadvisor {}: not implemented yet\n", name);
    return kExitUsage;
}

}  // namespace

int run(int argc, char** argv) {
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

    struct Planned {
        const char* name;
        const char* help;
    };
    const Planned planned[] = {
        {"analyze", "Analyse logs, plans and statistics; print a report and write migrations"},
        {"check", "Analyse for CI: exit 1 on findings at or above --fail-on; Markdown and SARIF"},
        {"verify", "Build proposed indexes on staging and measure before/after"},
    };
    for (const auto& p : planned) {
        auto* cmd = app.add_subcommand(p.name, p.help);
        cmd->allow_extras();
        const std::string name = p.name;
        cmd->callback([&exit_code, name] { exit_code = not_implemented(name); });
    }

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
