#pragma once
// Byte input for every reader: a file or stdin, transparently decompressed (gzip,
// zstd, bzip2, xz) when the first bytes are the format's magic number, whatever the
// file's name, read in blocks (never a whole file), and cut into lines with their
// 1-based numbers.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/issues.hpp"
#include "ingest/limits.hpp"

namespace pgadvisor::ingest {

enum class Compression { None, Gzip, Zstd, Bzip2, Xz };
// "", "gzip", "zstd", "bzip2", "xz": as reports name it.
const char* compression_name(Compression c);

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to n bytes; 0 at end. Sets error() on a decompression failure.
    virtual std::size_t read(char* buf, std::size_t n) = 0;
    const std::string& error() const { return error_; }

protected:
    std::string error_;
};

// Bytes held in memory as a source: for tests and the fuzz harnesses, which feed
// the readers without a file.
class MemorySource : public ByteSource {
public:
    explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
    std::size_t read(char* buf, std::size_t n) override;

private:
    std::string bytes_;
    std::size_t pos_ = 0;
};

struct OpenResult {
    std::unique_ptr<ByteSource> source;
    Compression compression = Compression::None;
    std::string error;  // why the file could not be opened
};

// path "-" is standard input.
OpenResult open_input(const std::string& path);

// A whole file (or "-", stdin), decompressed, for the commands that read SQL text at
// once (shape, the schema and migration loaders): nullopt and `error` set when it cannot be opened, is binary or is
// larger than max_bytes (read up to the cap only).
struct WholeFile {
    std::optional<std::string> text;
    std::string error;
};
WholeFile read_whole_file(const std::string& path, std::size_t max_bytes = kMaxDocumentBytes);

// Detect compression from leading bytes.
Compression detect_compression(std::string_view head);

// Lines without their terminator ("\n", "\r\n", or "\r" alone: old Mac files).
// The view stays valid until the next call to next(). A line longer than
// max_line_bytes is skipped as it streams by (never held whole) and reported;
// one that starts with binary data ends the input (kBinaryProbeBytes of it say so).
class LineReader {
public:
    explicit LineReader(ByteSource& src, std::size_t max_line_bytes = kMaxLineBytes)
        : src_(src), max_line_(max_line_bytes) {}
    // Where skipped lines and binary data are reported, under this file name.
    void report_to(Issues& issues, std::string file) {
        issues_ = &issues;
        file_ = std::move(file);
    }
    void set_max_line_bytes(std::size_t n) { max_line_ = n; }
    bool next(std::string_view& line);
    long line_number() const { return line_no_; }  // number of the line just returned
    // First bytes of the input without consuming them (for format detection).
    std::string_view peek(std::size_t n);
    bool ended_without_newline() const { return last_unterminated_; }
    const std::string& error() const { return src_.error(); }
    long skipped_lines() const { return skipped_lines_; }
    bool stopped_on_binary() const { return stopped_on_binary_; }
    // What the reader holds now: its buffer and the part of a long line kept so far.
    std::size_t bytes_held() const { return buf_.capacity() + overflow_.capacity(); }

private:
    enum class Read { Line, Skipped, End };
    Read read_line(std::string_view& line);
    Read skip_line();
    bool stop_if_binary(std::string_view line_start);
    bool fill();
    std::optional<std::pair<std::size_t, std::size_t>> find_line_end(std::size_t scan_from) const;
    ByteSource& src_;
    std::size_t max_line_;
    Issues* issues_ = nullptr;
    std::string file_;
    std::vector<char> buf_ = std::vector<char>(1 << 20);
    std::size_t begin_ = 0, end_ = 0;
    bool eof_ = false;
    long line_no_ = 0;
    long skipped_lines_ = 0;
    bool last_unterminated_ = false;
    bool stopped_on_binary_ = false;
    std::string overflow_;  // a line longer than the buffer (up to max_line_)
};

// Checks UTF-8 validity; returns the offset of the first bad byte or npos.
std::size_t find_invalid_utf8(std::string_view s);
// True when the text has NUL or other control bytes that no log line carries.
bool looks_binary(std::string_view s);
// How many bytes at the start of s are printable ASCII (0x20-0x7f) or tabs, 8 at a
// time: text that is all such bytes is neither binary nor invalid UTF-8, and most log
// lines are, so one pass answers both checks for them.
std::size_t plain_text_length(std::string_view s);

}  // namespace pgadvisor::ingest
