// libFuzzer harness: a pg_stat_statements CSV export (header names the columns).
#include "fuzz_support.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::run_reader(ingest::read_pgss, fuzz::as_text(data, size));
    return 0;
}
