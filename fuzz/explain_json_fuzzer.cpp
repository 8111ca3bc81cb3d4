// libFuzzer harness: EXPLAIN (FORMAT JSON): an array of plans, one plan, or
// auto_explain's object with "Query Text"; also through the explain file reader.
#include "fuzz_support.hpp"
#include "ingest/explain.hpp"

using namespace pgadvisor;

namespace {
void walk(const ingest::PlanNode& n, int depth) {
    if (depth > 100000) __builtin_trap();
    for (const auto& c : n.children) walk(c, depth + 1);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    auto r = ingest::parse_explain_json(text);
    for (const auto& p : r.plans) walk(p.root, 0);
    fuzz::run_reader(ingest::read_explain, text, std::nullopt, /*document=*/true);
    return 0;
}
