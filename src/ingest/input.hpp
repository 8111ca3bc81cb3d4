#pragma once
// Byte input for every reader: a file or stdin, transparently gunzipped or
// zstd-decompressed when the first bytes are the format's magic number, read in
// blocks (never a whole file), and cut into lines with their 1-based numbers.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgadvisor::ingest {

enum class Compression { None, Gzip, Zstd };

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to n bytes; 0 at end. Sets error() on a decompression failure.
    virtual std::size_t read(char* buf, std::size_t n) = 0;
    const std::string& error() const { return error_; }

protected:
    std::string error_;
};

struct OpenResult {
    std::unique_ptr<ByteSource> source;
    Compression compression = Compression::None;
    std::string error;  // why the file could not be opened
};

// path "-" is standard input.
OpenResult open_input(const std::string& path);

// Detect compression from leading bytes.
Compression detect_compression(std::string_view head);

// Lines without their terminator ("\n", "\r\n", or "\r" alone: old Mac files).
// The view stays valid until the next call to next().
class LineReader {
public:
    explicit LineReader(ByteSource& src) : src_(src) {}
    bool next(std::string_view& line);
    long line_number() const { return line_no_; }  // number of the line just returned
    // First bytes of the input without consuming them (for format detection).
    std::string_view peek(std::size_t n);
    bool ended_without_newline() const { return last_unterminated_; }
    const std::string& error() const { return src_.error(); }

private:
    bool fill();
    std::optional<std::pair<std::size_t, std::size_t>> find_line_end(std::size_t scan_from) const;
    ByteSource& src_;
    std::vector<char> buf_ = std::vector<char>(1 << 20);
    std::size_t begin_ = 0, end_ = 0;
    bool eof_ = false;
    long line_no_ = 0;
    bool last_unterminated_ = false;
    std::string overflow_;  // a line longer than the buffer
};

// Checks UTF-8 validity; returns the offset of the first bad byte or npos.
std::size_t find_invalid_utf8(std::string_view s);
// True when the text has NUL or other control bytes that no log line carries.
bool looks_binary(std::string_view s);

}  // namespace pgadvisor::ingest
