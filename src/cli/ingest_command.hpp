#pragma once
// `pgadvisor ingest FILE...`: read logs, plans and statistics and print a
// pgBadger-like summary (statements, shapes, sessions, time span, errors,
// skipped input, top shapes by total time).

#include <optional>
#include <string>
#include <vector>

namespace pgadvisor::cli {

struct IngestCommandOptions {
    std::vector<std::string> inputs;  // files, directories, "-" for stdin
    std::string input_format = "auto";
    std::optional<std::string> prefix;
    bool json = false;
    int top = 10;
};

int run_ingest(const IngestCommandOptions& options);

}  // namespace pgadvisor::cli
