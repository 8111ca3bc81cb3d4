// libFuzzer harness: the sql stage's shape builder over any text, as `shape`,
// analyze and check run it on .sql files and logged statements (libpg_query's
// parse, fingerprint and scan, then every walk over the tree). And the
// normalized text read off the tree (normalize_tree.cpp) against
// pg_query_normalize's alone: a difference aborts.
#include <cstdlib>
#include <string>

#include "fuzz_support.hpp"
#include "sql/parse_tree.hpp"
#include "sql/parser.hpp"
#include "sql/shape.hpp"

using namespace pgadvisor;

namespace {

// What the shape builder calls (the tree's reading where it is sure, libpg_query's otherwise)
// must be what libpg_query alone gives.
void check_normalized_from_tree(const std::string& text) {
    if (text.find('\0') != std::string::npos) return;  // libpg_query reads C strings; shape_all cuts at NULs
    const auto tokens = sql::scan_tokens(text);
    const auto tree = sql::parse_tree(text);
    if (!tokens || !tree) return;
    if (sql::normalize(text, *tokens.value, *tree.value).value != sql::normalize(text).value) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::size_t touched = 0;
    for (const auto& r : sql::shape_statements(fuzz::as_text(data, size)))
        touched += r.shape ? r.shape->normalized.size() : r.error->message.size();
    check_normalized_from_tree(std::string(fuzz::as_text(data, size)));
    return touched == static_cast<std::size_t>(-1);
}
