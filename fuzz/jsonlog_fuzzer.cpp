// libFuzzer harness: the jsonlog reader (one JSON object a line, auto_explain plans inside).
#include "fuzz_support.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::run_reader(ingest::read_jsonlog, fuzz::as_text(data, size));
    return 0;
}
