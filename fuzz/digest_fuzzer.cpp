// libFuzzer harness: a digest's records (cli/digest_file.hpp), as a digest file
// holds them once decompressed; when they read, merged into an empty workload
// and into the session rules (Rule::merge_state), whose findings are then made.
#include "cli/digest_file.hpp"
#include "fuzz_support.hpp"
#include "rules/registry.hpp"
#include "workload/workload_merge.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ingest::MemorySource source{std::string(fuzz::as_text(data, size))};
    std::string error;
    auto digest = cli::read_digest_from(source, error);
    if (!digest) return 0;
    workload::Workload merged;
    const auto ids = workload::merge_workload(merged, std::move(digest->workload));
    auto enabled = rules::create_enabled_rules(rules::load_default_rules());
    for (auto& rule : enabled)
        for (const auto& state : digest->rules)
            if (state.id == rule->id() && !rule->merge_state(state.state, ids, error)) return 0;
    rules::RuleInput input;
    input.workload = &merged;
    std::vector<rules::Finding> findings;
    for (auto& rule : enabled) rule->finish(input, findings);
    return 0;
}
