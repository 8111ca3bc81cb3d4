// libFuzzer harness: the sql stage's shape builder over any text, as `shape`,
// analyze and check run it on .sql files and logged statements (libpg_query's
// parse, fingerprint and normalize, then every walk over the tree).
#include "fuzz_support.hpp"
#include "sql/shape.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::size_t touched = 0;
    for (const auto& r : sql::shape_statements(fuzz::as_text(data, size)))
        touched += r.shape ? r.shape->normalized.size() : r.error->message.size();
    return touched == static_cast<std::size_t>(-1);
}
