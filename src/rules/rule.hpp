#pragma once
// The contract every rule implements. A rule is one class in
// src/rules/<rule_id>.cpp, registered by one line in registry.cpp, with its
// defaults in rules/<rule-id>.toml, its doc page docs/rules/<rule-id>.md and
// its tests in tests/rules/<rule_id>_test.cpp (registry_test checks all four).
//
// Takes: Executions as they stream by (observe), then the whole Workload,
// the catalog and any migration files (finish). Gives: Findings.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "rules/config.hpp"
#include "rules/finding.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::rules {

// A migration file under review (pgadvisor lint / check on a PR): its text and
// the catalog as it stood before the file was applied.
struct MigrationInput {
    std::string file;
    std::string text;
    const catalog::Catalog* before = nullptr;
};

struct RuleInput {
    const workload::Workload* workload = nullptr;  // null for lint-only runs
    const catalog::Catalog* catalog = nullptr;     // null when no schema was given
    bool catalog_is_live = false;                  // statistics (idx_scan, n_distinct) are real
    std::string conninfo;                          // --db: rules that ask the server to plan (seq-scan); "" = offline
    int statement_timeout_ms = 5000;               // --statement-timeout: no rule's statement runs longer
    std::vector<MigrationInput> migrations;        // files under review, in apply order
    double round_trip_ms = 0.3;                    // --rtt: per-statement network + protocol overhead
    bool show_literals = false;
};

class Rule {
public:
    explicit Rule(RuleConfig config) : config_(std::move(config)) {}
    virtual ~Rule() = default;
    Rule(const Rule&) = delete;
    Rule& operator=(const Rule&) = delete;

    const RuleConfig& config() const { return config_; }
    const std::string& id() const { return config_.id; }

    // Each execution in log order; sequence rules keep bounded per-session state.
    virtual void observe(const workload::Execution&) {}
    // How long (ms of log time) after a session's last statement this rule may
    // still join a later statement of that session to earlier ones. A session
    // quiet longer than every rule's lookback is ended (issue 16).
    virtual double session_lookback_ms() const { return 0; }
    // The session (Execution::session, its slot Execution::session_slot) is over: no later
    // execution carries its key, or one that does begins a new session; a later session
    // may be given its slot. Free what is kept for it.
    virtual void end_session(const std::string& /*session*/, std::size_t /*slot*/) {}
    // A digest (issue 17, docs/digest-format.md): what this rule kept from the
    // stream, once the stream is over, for a part of the logs read elsewhere;
    // null for a rule that keeps nothing between observe and finish. Values of
    // the log only with show_literals (the same redaction as the reports').
    virtual nlohmann::json saved_state(bool /*show_literals*/) { return nullptr; }
    // Another part's saved_state, merged in: the same findings as one rule that
    // had read both parts (a session never spans two). shape_ids maps the
    // part's shape ids to this workload's. false with `error` when it does not read.
    virtual bool merge_state(const nlohmann::json& /*state*/, const std::vector<std::size_t>& /*shape_ids*/,
                             std::string& /*error*/) {
        return true;
    }
    // After the stream: append findings.
    virtual void finish(const RuleInput& input, std::vector<Finding>& out) = 0;

protected:
    // A finding with this rule's id and configured severity filled in.
    Finding make_finding() const {
        Finding f;
        f.rule_id = config_.id;
        f.severity = config_.severity;
        return f;
    }

private:
    RuleConfig config_;
};

}  // namespace pgadvisor::rules
