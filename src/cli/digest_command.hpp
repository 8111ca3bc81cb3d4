#pragma once
// `pgadvisor digest LOG... -o FILE`: read logs where they lie and write what
// analyze needs of them as a digest (cli/digest_file.hpp, docs/digest-format.md):
// shape statistics with mergeable percentiles, the session rules' findings so
// far, the ingest report; no value of the logs unless --show-literals.
// `pgadvisor analyze A.digest B.digest ...` merges digests and advises as if it
// had read every log; digests of digests merge too (docs/scaling.md).

#include <optional>
#include <string>
#include <vector>

namespace pgadvisor::cli {

struct DigestOptions {
    std::vector<std::string> inputs;  // logs, plans, folders, digests, "-"
    std::string input_format = "auto";
    std::optional<std::string> prefix;
    std::vector<std::string> rules;  // --rule ID.KEY=VALUE: the session rules read with these options
    bool show_literals = false;
    unsigned jobs = 0;
    std::string output;  // -o: the digest file, "-" for standard output
};

int run_digest(const DigestOptions& options);

}  // namespace pgadvisor::cli
