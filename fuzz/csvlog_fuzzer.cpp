// libFuzzer harness: the csvlog reader (RFC 4180 records spanning lines, 22-26 columns).
#include "fuzz_support.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::run_reader(ingest::read_csvlog, fuzz::as_text(data, size));
    return 0;
}
