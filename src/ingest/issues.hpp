#pragma once
// Bad-input accounting: each problem is counted by kind with its first few
// file:line examples, so a run reports what it skipped and goes on.

#include <map>
#include <string>
#include <vector>

namespace pgadvisor::ingest {

struct IssueKind {
    long count = 0;
    std::vector<std::string> examples;  // "file:line: detail", the first kMaxExamples
};

class Issues {
public:
    static constexpr std::size_t kMaxExamples = 3;
    void add(const std::string& kind, const std::string& file, long line, const std::string& detail) {
        auto& k = kinds_[kind];
        ++k.count;
        if (k.examples.size() >= kMaxExamples) return;
        // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on `":" + std::to_string(line)`.
        std::string example = file;
        if (line > 0) example += ':' + std::to_string(line);
        example += ": ";
        example += detail;
        k.examples.push_back(std::move(example));
    }
    void merge(const Issues& other) {
        for (const auto& [name, k] : other.kinds_) add_counted(name, k.count, k.examples);
    }
    // `count` more of a kind, with examples already written ("file:line: detail"): a digest's issues.
    void add_counted(const std::string& kind, long count, const std::vector<std::string>& examples) {
        auto& k = kinds_[kind];
        k.count += count;
        for (const auto& e : examples)
            if (k.examples.size() < kMaxExamples) k.examples.push_back(e);
    }
    long total() const {
        long t = 0;
        for (const auto& [_, k] : kinds_) t += k.count;
        return t;
    }
    long count(const std::string& kind) const {
        auto it = kinds_.find(kind);
        return it == kinds_.end() ? 0 : it->second.count;
    }
    const std::map<std::string, IssueKind>& kinds() const { return kinds_; }

private:
    std::map<std::string, IssueKind> kinds_;
};

// Kind names used by the readers.
namespace issue {
inline constexpr const char* kPrefixMismatch = "does not match log_line_prefix";
inline constexpr const char* kInvalidUtf8 = "invalid UTF-8";
inline constexpr const char* kBinary = "binary data";
// Over a cap of ingest/limits.hpp: skipped without being held whole.
inline constexpr const char* kLineTooLong = "line over the size cap";
inline constexpr const char* kEntryTooLong = "entry over the size cap";
inline constexpr const char* kDocumentTooLarge = "document over the size cap";
inline constexpr const char* kCsvColumns = "csv row with wrong column count";
inline constexpr const char* kCsvUnterminated = "csv row with unterminated quote";
inline constexpr const char* kBadJson = "broken JSON";
inline constexpr const char* kBadPlan = "unreadable plan";
inline constexpr const char* kTruncated = "truncated input";
inline constexpr const char* kUnreadable = "unreadable file";
inline constexpr const char* kNoStatement = "no statement";
inline constexpr const char* kOtherProgram = "syslog line of another program";
// A log of another program than the server (pgbouncer): named, not read.
inline constexpr const char* kNotServerLog = "not a PostgreSQL server log";
inline constexpr const char* kNotLogRecord = "JSON line that is not a PostgreSQL log record";
inline constexpr const char* kTooDeep = "nested too deeply";  // sql/nesting.hpp: a statement or a JSON value
// A stderr line that reads two ways: a free-text prefix field (%a, %u, %d) or the
// message holds a second severity marker (docs/ingest.md, "Misleading input").
inline constexpr const char* kTwoSeverityMarkers = "line with two severity markers";
}  // namespace issue

}  // namespace pgadvisor::ingest
