#pragma once
// A baseline file lists findings already known, keyed by rule id and the
// finding's stable key (a statement fingerprint, an index name), so `check`
// fails a build only on new ones. JSON: {"pgadvisor_baseline": 1, "findings": [{"rule": ..., "key": ..., "title": ...}]}.

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/finding.hpp"

namespace pgadvisor::cli {

struct Baseline {
    std::set<std::pair<std::string, std::string>> known;  // (rule, key)

    bool contains(const rules::Finding& f) const { return known.count({f.rule_id, f.key}) > 0; }
};

// nullopt with `error` set when the file cannot be read or is not a baseline.
std::optional<Baseline> read_baseline(const std::string& path, std::string& error);

// Written atomically (temp file, then rename). Titles carry no literal values.
bool write_baseline(const std::string& path, const std::vector<rules::Finding>& findings, std::string& error);

// The findings not in the baseline; returns how many were suppressed.
std::size_t remove_known(std::vector<rules::Finding>& findings, const Baseline& baseline);

}  // namespace pgadvisor::cli
