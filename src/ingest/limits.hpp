#pragma once
// How much of one input the readers hold at once (issue 16, "Memory"), in one
// place: a line, an entry (a log message with its continuation lines, a csv record)
// and a document (an EXPLAIN or .sql file, read whole), and when a file is binary.
// Past a cap the rest of that line, entry or document is skipped without being
// held, reported once at its file:line, and reading goes on (docs/fuzzing.md).
// The readers take an InputLimits so tests and fuzzers can use small caps.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pgadvisor::ingest {

// PostgreSQL accepts statements up to 1 GB, but what ORMs log is kilobytes, a bulk
// INSERT a few MB (pgBadger cuts queries at 100 KB for its reports). 16 MiB keeps
// those with room to spare; a line is copied a few times on its way (message,
// Statement, queue), so one at the cap costs tens of MB here. Parsing it costs far
// more (libpg_query's tree: a few hundred bytes per byte of SQL, docs/fuzzing.md).
inline constexpr std::size_t kMaxLineBytes = 16u << 20;
// A statement written over many lines is the same statement: the same cap.
inline constexpr std::size_t kMaxEntryBytes = 16u << 20;
// Whole lines a stderr reader holds back at once: the sample it detects the
// log_line_prefix from, the lines it holds while the prefix may have changed.
// Without it, 200 or 1,000 lines each at the line cap could be held.
inline constexpr std::size_t kMaxHeldBytes = 64u << 20;
// EXPLAIN and .sql files are read whole; a pg_dump schema is a few MB.
inline constexpr std::size_t kMaxDocumentBytes = 256u << 20;
// What a decoder may allocate for its own state. A compressed file is never inflated
// whole: its lines go through the caps above as they come, so a bomb costs time, not
// memory. The decoder's window is the one other cost, and a header can ask for any:
// zstd's decoder refuses windows over 2^27 bytes (ZSTD_WINDOWLOG_LIMIT_DEFAULT), xz is
// held to the same 128 MiB (`xz -9` needs 65 MiB); gzip's window is 32 KiB and bzip2's
// state at most 3.6 MB, fixed by their formats.
inline constexpr std::uint64_t kMaxDecoderMemoryBytes = 128u << 20;
// How much of a file's start is looked at to tell text from binary data.
inline constexpr std::size_t kBinaryProbeBytes = 64u << 10;

struct InputLimits {
    std::size_t max_line_bytes = kMaxLineBytes;
    std::size_t max_entry_bytes = kMaxEntryBytes;
    std::size_t max_held_bytes = kMaxHeldBytes;
    std::size_t max_document_bytes = kMaxDocumentBytes;
};

// "32 MiB", "1 KiB", "300 bytes": a cap as messages name it.
std::string size_text(std::size_t bytes);

// True when a block does not look like text: at least a third of its bytes are
// control bytes that no log carries (NUL among them) or invalid UTF-8, as Perl's -B
// decides. A lone NUL is not enough: one garbage line in a good log is skipped line
// by line (tests/ingest/bad_input_test.cpp), a file of them stops at once.
bool block_is_binary(std::string_view block);
// The message for a file that block_is_binary refused, `probed` bytes looked at.
std::string binary_data_error(std::size_t probed);

}  // namespace pgadvisor::ingest
