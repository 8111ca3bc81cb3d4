// libFuzzer harness: request tags from statement comments (sqlcommenter,
// marginalia) and the URL decoding of their values.
#include "fuzz_support.hpp"
#include "workload/request_tags.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    auto tags = workload::request_tags_of(text);
    for (const auto& [k, v] : tags)
        if (k.empty() && v.empty() && tags.size() > text.size()) __builtin_trap();
    auto one = workload::parse_tag_comment(text);
    // Decoding never grows the text: each escape is 3 bytes for 1.
    if (workload::url_decode(text).size() > text.size()) __builtin_trap();
    (void)one;
    return 0;
}
