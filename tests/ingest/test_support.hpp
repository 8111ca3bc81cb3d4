#pragma once
// Helpers for the ingest unit tests: run one file through its reader and keep the records.

#include <optional>
#include <string>
#include <vector>

#include "ingest/ingest.hpp"

namespace pgadvisor::ingest::test {

struct Ingested {
    std::vector<Statement> statements;
    Issues issues;
    FileReport report;
};

inline Ingested ingest_path(const std::string& path, Format format = Format::Auto,
                            const std::optional<std::string>& prefix = std::nullopt) {
    Ingested r;
    r.report = ingest_file(path, format, prefix, r.issues,
                           [&](Statement&& s) { r.statements.push_back(std::move(s)); });
    return r;
}

inline std::string corpus(const std::string& rel) { return std::string(PGADVISOR_SHARED_CORPUS) + "/" + rel; }
inline std::string fixture(const std::string& rel) { return std::string(PGADVISOR_TEST_FIXTURES) + "/ingest/" + rel; }

}  // namespace pgadvisor::ingest::test
