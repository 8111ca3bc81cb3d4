// libFuzzer harness: syslog unwrapping ([N-M] continuation numbers, #011 tabs)
// and the stderr grouping behind it. The first byte chooses a given prefix or detection.
#include "fuzz_support.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    if (!text.empty() && (static_cast<unsigned char>(text[0]) & 1))
        fuzz::run_reader(ingest::read_syslog, text, std::string("%m [%p] user=%u,db=%d,app=%a "));
    else fuzz::run_reader(ingest::read_syslog, text);
    return 0;
}
