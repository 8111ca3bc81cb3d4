// libFuzzer harness: the stderr log reader and the log_line_prefix parser.
// Input: the first line is a log_line_prefix, the rest a stderr log. The first
// byte chooses whether the reader gets that prefix (like --prefix) or detects one.
#include "fuzz_support.hpp"
#include "ingest/log_entry.hpp"
#include "ingest/prefix.hpp"

using namespace pgadvisor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    auto nl = text.find('\n');
    std::string_view prefix = nl == std::string_view::npos ? text : text.substr(0, nl);
    std::string_view log = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);

    // The prefix compiler and matcher directly, against each of the first lines.
    auto compiled = ingest::LinePrefix::compile(prefix);
    std::size_t start = 0;
    for (int i = 0; i < 8 && start <= log.size(); ++i) {
        auto end = log.find('\n', start);
        auto line = log.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        ingest::LogEntry e;
        std::size_t free_chars = 0;
        if (auto msg = compiled.match(line, e, &free_chars)) {
            if (*msg > line.size()) __builtin_trap();  // the message offset lies inside the line
        }
        // Every reading of a line that may read two ways (issue 16): inside the line, in
        // order, one per message start, bounded in number.
        auto rs = compiled.readings(line);
        if (rs.size() > ingest::LinePrefix::kMaxReadings) __builtin_trap();
        for (std::size_t k = 0; k < rs.size(); ++k) {
            if (rs[k].message_start > line.size()) __builtin_trap();
            if (k > 0 && rs[k].message_start <= rs[k - 1].message_start) __builtin_trap();
        }
        std::string_view sev;
        std::size_t msg_start = 0;
        auto at = ingest::find_severity(line, sev, msg_start);
        if (at != std::string::npos && msg_start > line.size()) __builtin_trap();
        if (end == std::string_view::npos) break;
        start = end + 1;
    }

    bool given = !text.empty() && (static_cast<unsigned char>(text[0]) & 1);
    fuzz::run_reader(ingest::read_stderr, log, given ? std::optional<std::string>(std::string(prefix)) : std::nullopt);
    return 0;
}
