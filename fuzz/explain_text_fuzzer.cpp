// libFuzzer harness: EXPLAIN text (psql frames, + continuations, auto_explain's
// Query Text), through parse_explain_text and the whole-document parse_explain.
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
    auto r = ingest::parse_explain_text(text);
    for (const auto& p : r.plans) walk(p.root, 0);
    auto doc = ingest::parse_explain(text);
    for (const auto& p : doc.plans) walk(p.root, 0);
    return 0;
}
