#include "cli/baseline.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "emit/atomic_file.hpp"
#include "ingest/input.hpp"

namespace pgadvisor::cli {

std::optional<Baseline> read_baseline(const std::string& path, std::string& error) {
    auto whole = ingest::read_whole_file(path);  // binary input refused, the document cap
    if (!whole.text) {
        error = path + ": cannot read: " + whole.error;
        return std::nullopt;
    }
    auto doc = nlohmann::json::parse(*whole.text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("pgadvisor_baseline") || !doc.contains("findings") ||
        !doc["findings"].is_array()) {
        error = path + ": not a pgadvisor baseline (write one with --write-baseline)";
        return std::nullopt;
    }
    Baseline b;
    for (const auto& f : doc["findings"]) {
        if (!f.is_object() || !f.contains("rule") || !f.contains("key") || !f["rule"].is_string() ||
            !f["key"].is_string()) {
            error = path + ": a finding without a string \"rule\" and \"key\"";
            return std::nullopt;
        }
        b.known.insert({f["rule"].get<std::string>(), f["key"].get<std::string>()});
    }
    return b;
}

bool write_baseline(const std::string& path, const std::vector<rules::Finding>& findings, std::string& error) {
    nlohmann::json doc;
    doc["pgadvisor_baseline"] = 1;
    doc["findings"] = nlohmann::json::array();
    std::vector<const rules::Finding*> sorted;
    for (const auto& f : findings) sorted.push_back(&f);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return std::tie(a->rule_id, a->key) < std::tie(b->rule_id, b->key); });
    for (const auto* f : sorted)
        doc["findings"].push_back({{"rule", f->rule_id}, {"key", f->key}, {"title", f->title}});
    // Whole or not at all, and never through a link planted at path or beside it (emit/atomic_file.hpp).
    return emit::write_file_atomically(path, doc.dump(2) + "\n", emit::Overwrite::Replace, error);
}

std::size_t remove_known(std::vector<rules::Finding>& findings, const Baseline& baseline) {
    const auto before = findings.size();
    findings.erase(std::remove_if(findings.begin(), findings.end(),
                                  [&](const auto& f) { return baseline.contains(f); }),
                   findings.end());
    return before - findings.size();
}

}  // namespace pgadvisor::cli
