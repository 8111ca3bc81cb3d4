#pragma once
// One reader per input format. Each streams its input (a LineReader over a
// possibly decompressed file) and pushes records to a sink; problems go to
// Issues with file:line and the reader goes on.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/assembler.hpp"
#include "ingest/input.hpp"
#include "ingest/issues.hpp"
#include "ingest/limits.hpp"
#include "ingest/prefix.hpp"
#include "ingest/record.hpp"

namespace pgadvisor::ingest {

// Pgbouncer is recognised only to say that it is not the server's log (never read).
enum class Format { Auto, Stderr, Syslog, Csvlog, Jsonlog, Explain, Pgss, Sql, Pgbouncer };
const char* format_name(Format f);
std::optional<Format> parse_format(std::string_view name);

// Guess the format from the first bytes of the (decompressed) input and its name.
Format detect_format(std::string_view head, std::string_view path);
// True when most of the first lines are pgbouncer's ("<time> [zone] <pid>|[<pid>] LOG ...").
bool looks_like_pgbouncer(std::string_view head);
// What ingest says of a pgbouncer log, which it does not read.
inline constexpr const char* kPgbouncerLogError =
    "this is a pgbouncer log, not a PostgreSQL server log: pgadvisor reads the server's log";

struct ReaderContext {
    FileName file;                      // name used in records and messages
    std::optional<std::string> prefix;  // --prefix; detected when empty
    Issues* issues = nullptr;
    StatementSink sink;
    SessionTracking sessions;  // ends of sessions, for the Assembler
    InputLimits limits = {};
    std::string detected_prefix;     // out: the prefix used (stderr/syslog)
    std::vector<std::string> notes;  // out: FileReport::notes
};

// Groups stderr lines (prefix line + DETAIL/HINT/CONTEXT/STATEMENT lines + tab
// continuations) into LogEntries. Buffers the first lines to detect the prefix.
class StderrGrouper {
public:
    StderrGrouper(ReaderContext& ctx, Assembler& out) : ctx_(ctx), out_(out) {}
    // continuation_hint: syslog's [N-M] with M > 1 says a non-matching line continues the previous one.
    // pid_hint, timestamp_hint: what a wrapper (syslog) said, for prefixes without %p / %t.
    void feed(std::string_view line, long line_no, bool continuation_hint = false, long long pid_hint = 0,
              std::string_view timestamp_hint = {});
    void finish();

private:
    struct Buffered {
        std::string line;
        long line_no;
        bool hint;
        long long pid;
        std::string ts;
    };
    void process(std::string_view line, long line_no, bool continuation_hint, long long pid_hint,
                 std::string_view ts_hint);
    // Groups one line into the current entry; false when it matches no prefix and continues nothing.
    bool take(std::string_view line, long line_no, bool continuation_hint, long long pid_hint,
              std::string_view ts_hint);
    std::optional<std::size_t> read_prefix(std::string_view line, long line_no, LogEntry& e);
    std::optional<std::size_t> read_spaced_prefix(std::string_view& line, long line_no, LogEntry& e);
    void hold(Buffered b);
    void release_held();
    bool redetect();
    void report_mismatch(long line_no);
    void close_entry();
    bool grow_entry(std::size_t bytes, long line_no);
    bool over_held_bytes() const;
    void finish_detection();
    void start_with_first_prefix(const std::vector<std::string>& lines);
    ReaderContext& ctx_;
    Assembler& out_;
    std::optional<LinePrefix> prefix_;
    std::vector<Buffered> sample_;
    // Lines held since one matched no prefix: when enough follow, the prefix is
    // detected again (the server was reconfigured), else they are reported.
    std::vector<Buffered> held_;
    std::size_t held_first_lines_ = 0;  // held lines that are not continuations
    bool detection_failed_ = false;
    std::size_t sample_bytes_ = 0, held_bytes_ = 0;
    // Two entries that trade places: the line being read's prefix fields (read into line after
    // line by LinePrefix::match, so its strings keep their buffers), and the entry being grouped
    // (read into again, entry after entry: close_entry). A line that begins an entry makes its
    // slot the entry's, and the spent entry's slot the line's.
    LogEntry entries_[2];
    int cur_slot_ = 0;
    LogEntry& cur() { return entries_[cur_slot_]; }
    LogEntry& line_fields() { return entries_[1 - cur_slot_]; }
    bool have_ = false;
    // The current entry's size so far; past max_entry_bytes it is dropped and the
    // lines that continue it are skipped as they come.
    std::size_t cur_bytes_ = 0;
    bool cur_dropped_ = false;
    std::string* last_field_ = nullptr;
};

void read_stderr(LineReader& in, ReaderContext& ctx);
void read_syslog(LineReader& in, ReaderContext& ctx);
void read_csvlog(LineReader& in, ReaderContext& ctx);
void read_jsonlog(LineReader& in, ReaderContext& ctx);
void read_pgss(LineReader& in, ReaderContext& ctx);
// Explain and .sql inputs are small documents: read whole (bounded) and parsed.
void read_explain(LineReader& in, ReaderContext& ctx);
void read_sql(LineReader& in, ReaderContext& ctx);

struct CsvRecord {
    std::vector<std::string> fields;
    long first_line = 0;
    bool unterminated = false;  // the input ends inside a quoted field
    bool too_long = false;      // longer than the cap: read to its end, but its fields are not kept
};
// One RFC 4180 record, possibly spanning lines; false at end of input.
bool read_csv_record(LineReader& in, CsvRecord& record, std::size_t max_bytes = kMaxEntryBytes);

}  // namespace pgadvisor::ingest
