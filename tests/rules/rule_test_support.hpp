#pragma once
// Shared by the rule tests: run rules over statements the way the pipeline
// does (ingest records -> WorkloadBuilder -> Rule::observe -> Rule::finish).

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "ingest/ingest.hpp"
#include "rules/config.hpp"
#include "rules/registry.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::test {

// One rule with its compiled-in defaults, overridden by "KEY=VALUE" strings.
inline std::unique_ptr<rules::Rule> make_rule(const std::string& id, const std::vector<std::string>& overrides = {}) {
    auto set = rules::load_default_rules();
    for (const auto& o : overrides) rules::apply_override(set, id + "." + o);
    REQUIRE(set.errors.empty());
    for (const auto& entry : rules::rule_registry())
        if (entry.id == id) return entry.create(*set.find(id));
    FAIL("no rule " << id);
    return nullptr;
}

// A statement record as a log reader would produce it.
inline ingest::Statement statement(const std::string& session, double at_ms, const std::string& text,
                                   double duration_ms = 0.5, const std::string& file = "test.log", long line = 0) {
    ingest::Statement s;
    s.session_id = session;
    s.epoch_ms = at_ms;
    s.text = text;
    s.duration_ms = duration_ms;
    s.source = {file, line, line};
    return s;
}

struct RuleRun {
    workload::Workload workload;
    std::vector<rules::Finding> findings;
};

// Feed statements through a WorkloadBuilder into the rule, then finish it.
inline RuleRun run_rule(rules::Rule& rule, const std::vector<ingest::Statement>& statements,
                        rules::RuleInput input = {}) {
    workload::WorkloadBuilder builder({}, [&](const workload::Execution& e) { rule.observe(e); });
    for (const auto& s : statements) builder.add(s);
    RuleRun run;
    run.workload = builder.finish();
    input.workload = &run.workload;
    rule.finish(input, run.findings);
    return run;
}

// The same over log files read by the ingest stage.
inline RuleRun run_rule_on_files(rules::Rule& rule, const std::vector<std::string>& files,
                                 rules::RuleInput input = {}) {
    std::vector<ingest::Statement> statements;
    ingest::IngestOptions options;
    options.inputs = files;
    auto report = ingest::ingest(options, [&](ingest::Statement&& s) { statements.push_back(std::move(s)); });
    REQUIRE(report.statements > 0);
    return run_rule(rule, statements, input);
}

// A log written for one test, under the temp directory; its path.
inline std::string write_log(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / "pgadvisor-rule-tests";
    std::filesystem::create_directories(dir);
    const auto path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// A log streamed the way analyze reads it (cli/analysis.cpp): the ingest stage
// ends sessions (disconnection, pid reuse, quiet past the rule's lookback) and
// the workload and the rule free them; close_sessions = false keeps every one.
inline RuleRun run_rule_streaming(rules::Rule& rule, const std::string& file, const std::string& prefix,
                                  bool close_sessions = true) {
    workload::WorkloadBuilder builder(
        {}, [&](const workload::Execution& e) { rule.observe(e); },
        [&](const std::string& session, std::size_t slot) { rule.end_session(session, slot); });
    ingest::IngestOptions options;
    options.inputs = {file};
    options.prefix = prefix;
    options.sessions.enabled = close_sessions;
    options.sessions.idle_ms = rule.session_lookback_ms();
    options.sessions.sink = [&](const ingest::SessionEnd& end) { builder.end_session(end); };
    auto report = ingest::ingest(options, [&](ingest::Statement&& s) { builder.add(s); });
    REQUIRE(report.statements > 0);
    RuleRun run;
    run.workload = builder.finish();
    rules::RuleInput input;
    input.workload = &run.workload;
    rule.finish(input, run.findings);
    return run;
}

}  // namespace pgadvisor::test
