#include "cli/digest_command.hpp"

#include <fmt/core.h>

#include "cli/analysis.hpp"
#include "cli/app.hpp"
#include "cli/digest_file.hpp"
#include "cli/keep_until_exit.hpp"
#include "cli/rule_options.hpp"
#include "rules/registry.hpp"
#include "sql/text.hpp"
#include "workload/parallel_read.hpp"

namespace pgadvisor::cli {

int run_digest(const DigestOptions& o) {
    constexpr const char* kCommand = "digest";
    AnalysisOptions a;
    a.inputs = o.inputs;
    const auto format = parse_input_format(o.input_format, kCommand);
    if (!format) return kExitUsage;
    a.format = *format;
    a.prefix = o.prefix;
    a.rules = load_rule_set(o.rules);
    if (report_config_errors(a.rules)) return kExitUsage;
    a.show_literals = o.show_literals;
    a.jobs = o.jobs == 0 ? workload::default_jobs() : o.jobs;

    auto enabled = rules::create_enabled_rules(a.rules);
    Analysis read;
    if (!read_workload(a, enabled, read, kCommand)) {
        fmt::print(stderr, "{}\n", read.error);
        return kExitUsage;
    }
    if (read.ingest.nothing_read()) {
        print_nothing_read(read.ingest, kCommand);
        return kExitUsage;
    }
    Digest d;
    d.literals = o.show_literals;
    d.ingest = std::move(read.ingest);
    d.workload = std::move(read.workload);
    for (auto& rule : enabled) {
        auto state = rule->saved_state(o.show_literals);
        if (!state.is_null()) d.rules.push_back({rule->id(), rule_options_json(rule->config()), std::move(state)});
    }
    std::string error;
    if (!write_digest(o.output, d, error, a.jobs)) {
        fmt::print(stderr, "pgadvisor {}: {}\n", kCommand, sql::terminal_safe(error));
        return kExitUsage;
    }
    if (o.output != "-")
        fmt::print(stderr, "pgadvisor {}: wrote {}: {}, {} from {}{}\n", kCommand, sql::terminal_safe(o.output),
                   sql::counted(d.ingest.statements, "statement"),
                   sql::counted(static_cast<long long>(d.workload.shapes.size()), "shape"),
                   sql::counted(static_cast<long long>(d.ingest.files.size()), "input"),
                   d.literals ? " (with the logs' values: --show-literals)" : "");
    keep_until_exit(std::move(d));
    keep_until_exit(std::move(enabled));
    return kExitOk;
}

}  // namespace pgadvisor::cli
