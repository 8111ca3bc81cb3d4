// libFuzzer harness: the sql stage's shape builder over any text, as `shape`,
// analyze and check run it on .sql files and logged statements (libpg_query's
// parse, fingerprint and scan, then every walk over the tree). And the
// normalized text read off the tree (normalize_tree.cpp) against
// pg_query_normalize's: where the tree's reading gives one, a difference aborts.
#include <cstdlib>
#include <string>

#include "fuzz_support.hpp"
#include "sql/parse_tree.hpp"
#include "sql/parser.hpp"
#include "sql/shape.hpp"
#include "sql/typed_literals.hpp"

using namespace pgadvisor;

namespace {

void check_normalized_from_tree(const std::string& text) {
    if (text.find('\0') != std::string::npos) return;  // libpg_query reads C strings; shape_all cuts at NULs
    const auto tokens = sql::scan_tokens(text);
    if (!tokens || sql::prefix_casts_as_postfix(text, *tokens.value) != text) return;
    const auto tree = sql::parse_tree(text);
    if (!tree) return;
    const auto mine = sql::normalized_from_tree(text, *tokens.value, *tree.value);
    if (!mine) return;
    const auto theirs = sql::normalize(text);
    if (!theirs || *theirs.value != *mine) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::size_t touched = 0;
    for (const auto& r : sql::shape_statements(fuzz::as_text(data, size)))
        touched += r.shape ? r.shape->normalized.size() : r.error->message.size();
    check_normalized_from_tree(std::string(fuzz::as_text(data, size)));
    return touched == static_cast<std::size_t>(-1);
}
