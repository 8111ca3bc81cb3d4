// libFuzzer harness: the compact reader of libpg_query's JSON parse trees
// (src/sql/compact_json.hpp), against nlohmann's parser: any document it gives
// must be the one nlohmann gives for the same bytes, and its depth verdict the
// one json_nests_deeper_than gives. A difference aborts.
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "sql/compact_json.hpp"
#include "sql/nesting.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr int kDepth = 64;  // small, so the fuzzer reaches it
    const std::string_view text = fuzz::as_text(data, size);
    const sql::CompactJson c = sql::read_compact_json(text, kDepth);
    const bool deep = sql::json_nests_deeper_than(text, kDepth);
    if (c.too_deep && !deep) std::abort();
    if (!c.document) return 0;
    if (deep || c.too_deep) std::abort();
    const nlohmann::json expected = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (expected.is_discarded() || expected != *c.document || expected.dump() != c.document->dump()) std::abort();
    return 0;
}
