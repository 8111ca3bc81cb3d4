#pragma once
// Shared by the libFuzzer harnesses (fuzz/*_fuzzer.cpp): the fuzzer's bytes as
// an ingest::MemorySource, and a run of one reader over them the way ingest_file runs it
// (LineReader, ReaderContext with an Issues and a sink), without a temp file.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "ingest/input.hpp"
#include "ingest/readers.hpp"

namespace pgadvisor::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Caps small enough for libFuzzer's 64 KB inputs to pass them (scripts/fuzz
// -max_len=65536), so skipping an overlong line, entry, record or document and
// stopping on binary data are fuzzed too (ingest/limits.hpp has the real caps).
inline ingest::InputLimits small_limits() {
    ingest::InputLimits l;
    l.max_line_bytes = 4096;
    l.max_entry_bytes = 8192;
    l.max_held_bytes = 16384;
    l.max_document_bytes = 32768;
    return l;
}

// Runs `reader` (read_stderr, read_csvlog, ...) over the bytes, touching every
// field of every statement so a dangling view or a bad string shows up under ASan.
// A document reader (read_explain) reads lines up to the document cap, as ingest_file does.
template <class Reader>
void run_reader(Reader reader, std::string_view bytes, std::optional<std::string> prefix = std::nullopt,
                bool document = false) {
    ingest::MemorySource src{std::string(bytes)};
    const ingest::InputLimits limits = small_limits();
    ingest::LineReader lines(src, document ? limits.max_document_bytes : limits.max_line_bytes);
    ingest::Issues issues;
    ingest::ReaderContext ctx;
    ctx.file = "fuzz-input";
    ctx.prefix = std::move(prefix);
    ctx.issues = &issues;
    ctx.limits = limits;
    lines.report_to(issues, ctx.file);
    std::size_t touched = 0;
    ctx.sink = [&](ingest::Statement&& s) {
        touched += s.text.size() + s.timestamp.view().size() + s.user.size() + s.database.size() +
                   s.application.size() + s.session_id.size() + s.error_message.size() + s.prepared_name.size() +
                   s.parameters.size();
        for (const auto& p : s.parameters) touched += p.value ? p.value->size() : 0;
        if (s.plan) touched += 1;
    };
    reader(lines, ctx);
    // The report's numbers must be readable whatever happened.
    touched += static_cast<std::size_t>(issues.total()) + static_cast<std::size_t>(lines.line_number());
    (void)touched;
}

}  // namespace pgadvisor::fuzz
