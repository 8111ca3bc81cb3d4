#include "ingest/readers.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <charconv>
#include <cstring>
#include <ctime>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "ingest/explain.hpp"
#include "ingest/pgss_row.hpp"
#include "sql/parser.hpp"
#include "sql/nesting.hpp"
#include "sql/text.hpp"

namespace pgadvisor::ingest {
namespace {

constexpr std::size_t kDetectLines = 200;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
long long to_ll(std::string_view s) {
    long long v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

// Lines that no reader can use: binary garbage and invalid UTF-8 are counted, not parsed.
bool line_is_bad(std::string_view line, const ReaderContext& ctx, long line_no) {
    // Only what follows the line's plain start can hold a control byte or start a UTF-8 sequence.
    const std::size_t plain = plain_text_length(line);
    if (plain == line.size()) return false;
    const std::string_view rest = line.substr(plain);
    if (looks_binary(rest)) {
        ctx.issues->add(issue::kBinary, ctx.file, line_no, "control bytes in a text line");
        return true;
    }
    if (std::size_t bad = find_invalid_utf8(rest); bad != std::string_view::npos) {
        ctx.issues->add(issue::kInvalidUtf8, ctx.file, line_no,
                        "byte " + std::to_string(plain + bad + 1) + " of the line");
        return true;
    }
    return false;
}

}  // namespace

const char* format_name(Format f) {
    switch (f) {
        case Format::Auto: return "auto";
        case Format::Stderr: return "stderr";
        case Format::Syslog: return "syslog";
        case Format::Csvlog: return "csvlog";
        case Format::Jsonlog: return "jsonlog";
        case Format::Explain: return "explain";
        case Format::Pgss: return "pgss";
        case Format::Sql: return "sql";
        case Format::Pgbouncer: return "pgbouncer";
    }
    return "?";
}

std::optional<Format> parse_format(std::string_view n) {
    for (Format f : {Format::Auto, Format::Stderr, Format::Syslog, Format::Csvlog, Format::Jsonlog, Format::Explain,
                     Format::Pgss, Format::Sql})
        if (n == format_name(f)) return f;
    return std::nullopt;
}

namespace {

bool is_syslog_line(std::string_view l) {
    // "Feb 11 13:15:39 host postgres[10808]: [1-1] ..." (rsyslog), or
    // "2019-03-14T00:22:56+00:00 app[postgres.4882]: [GREEN] [15-1] ..." (Heroku logplex).
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    bool bsd = false;
    for (const char* m : months) bsd |= starts_with(l, m);
    bool iso = l.size() > 20 && std::isdigit(static_cast<unsigned char>(l[0])) && l[4] == '-' && l[10] == 'T';
    if (!bsd && !iso) return false;
    std::size_t b = l.find("]: [");
    if (b == std::string_view::npos) b = l.find("] [");
    if (b == std::string_view::npos) return false;
    std::size_t open = l.rfind('[', b);
    return open != std::string_view::npos && std::isdigit(static_cast<unsigned char>(l[b - 1]));
}

// pgbouncer's own log, as pgBadger tells it: "2018-09-12 16:08:54.775 3392 LOG listening
// on ..." (1.9) or "2023-12-19 03:06:13.586 CET [10384] LOG C-0x...: ..." (1.21): a time, a
// zone perhaps, the pid bare or in brackets, then a level and one space, where the server
// writes "LOG:" and two.
bool is_pgbouncer_line(std::string_view l) {
    if (parse_timestamp_ms(l.substr(0, 19)) == 0 || l.size() < 24 || l[10] != ' ') return false;
    std::vector<std::string_view> words;
    for (std::size_t at = l.find(' ', 11); at != std::string_view::npos && words.size() < 4;) {
        std::size_t end = l.find(' ', at + 1);
        words.push_back(l.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1));
        at = end;
    }
    auto is_pid = [](std::string_view w) {
        if (w.size() > 2 && w.front() == '[' && w.back() == ']') w = w.substr(1, w.size() - 2);
        return !w.empty() && w.find_first_not_of("0123456789") == std::string_view::npos;
    };
    static constexpr std::string_view kLevels[] = {"LOG", "WARNING", "ERROR", "FATAL", "NOISE", "DEBUG"};
    for (std::size_t i = 0; i + 2 < words.size() && i < 2; ++i)  // a zone word may come first
        if (is_pid(words[i]) && std::find(std::begin(kLevels), std::end(kLevels), words[i + 1]) != std::end(kLevels))
            return true;
    return false;
}

}  // namespace

bool looks_like_pgbouncer(std::string_view head) {
    int lines = 0, pgbouncer = 0;
    for (std::size_t pos = 0; pos < head.size() && lines < 20;) {
        std::size_t nl = head.find('\n', pos);
        if (nl == std::string_view::npos) break;  // the last line of the probe may be cut
        std::string_view l = head.substr(pos, nl - pos);
        pos = nl + 1;
        if (l.empty()) continue;
        ++lines;
        pgbouncer += is_pgbouncer_line(l);
    }
    return pgbouncer > 0 && pgbouncer * 2 >= lines;
}

Format detect_format(std::string_view head, std::string_view path) {
    auto ends = [&](std::string_view suf) {
        std::string_view p = path;
        for (std::string_view c : {".gz", ".zst", ".zstd", ".bz2", ".xz"})
            if (p.size() > c.size() && p.substr(p.size() - c.size()) == c) p.remove_suffix(c.size());
        return p.size() >= suf.size() && p.substr(p.size() - suf.size()) == suf;
    };
    if (ends(".sql")) return Format::Sql;
    std::size_t first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return Format::Stderr;
    std::string_view first_line = head.substr(first, head.find('\n', first) - first);
    if (head[first] == '{' || head[first] == '[') {
        if (head.find("\"Plan\"") != std::string_view::npos) return Format::Explain;
        if (head[first] == '{') return Format::Jsonlog;
        // '[' without a plan: a psql prompt like "[1234](5678)db=#", read on.
    }
    if (head.find("QUERY PLAN") != std::string_view::npos) return Format::Explain;
    // pg_stat_statements CSV export: a header with query and calls columns.
    if (first_line.find("calls") != std::string_view::npos && first_line.find("query") != std::string_view::npos &&
        first_line.find(',') != std::string_view::npos && first_line.find("LOG:") == std::string_view::npos)
        return Format::Pgss;
    if (is_syslog_line(first_line)) return Format::Syslog;
    if (looks_like_pgbouncer(head)) return Format::Pgbouncer;
    // csvlog: a timestamp, then a comma, and 20+ commas on the line.
    if (first_line.size() > 24) {
        std::string_view t = first_line;
        if (t[0] == '"') t.remove_prefix(1);
        if (parse_timestamp_ms(t.substr(0, t.find(','))) != 0 &&
            std::count(first_line.begin(), first_line.end(), ',') >= 20 &&
            first_line.find(",LOG,") != std::string_view::npos)
            return Format::Csvlog;
        if (parse_timestamp_ms(t.substr(0, t.find(','))) != 0 && t.find(',') < 40 &&
            std::count(first_line.begin(), first_line.end(), ',') >= 12)
            return Format::Csvlog;
    }
    // Standalone EXPLAIN text: node lines with cost/actual and no log prefix.
    bool has_log = false, has_plan = false;
    std::size_t pos = 0;
    for (int n = 0; n < 50 && pos < head.size(); ++n) {
        std::size_t nl = head.find('\n', pos);
        std::string_view l = head.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        std::string_view sev;
        std::size_t ms = 0;
        if (find_severity(l, sev, ms) != std::string_view::npos) has_log = true;
        if (l.find("(cost=") != std::string_view::npos || l.find("(actual time=") != std::string_view::npos)
            has_plan = true;
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    if (has_plan && !has_log) return Format::Explain;
    return Format::Stderr;
}

// ---------------------------------------------------------------- stderr
namespace {
// An entry larger than this gives its buffers back when it is closed; a smaller one
// keeps them for the next (most are a line or two).
constexpr std::size_t kReusedEntryBytes = 64 << 10;
}  // namespace

void StderrGrouper::close_entry() {
    if (have_ && !cur_dropped_) out_.add(cur());
    // cur() is read into again by the next entry (take: every field is written), its
    // strings' buffers reused: the reader thread's allocations were a fifth of its
    // instructions (issue 17).
    if (cur_bytes_ > kReusedEntryBytes) cur() = LogEntry{};
    have_ = false;
    last_field_ = nullptr;
    cur_bytes_ = 0;
    cur_dropped_ = false;
}

// Counts bytes added to the current entry; false once it is past the cap. Then the
// entry is dropped (its text freed now, not at its end), reported once at its first
// line, and its later lines are skipped until the next entry starts.
bool StderrGrouper::grow_entry(std::size_t bytes, long line_no) {
    if (cur_dropped_) return false;
    cur_bytes_ += bytes;
    if (cur_bytes_ <= ctx_.limits.max_entry_bytes) return true;
    ctx_.issues->add(issue::kEntryTooLong, ctx_.file, cur().first_line,
                     fmt::format("a message with its continuation lines longer than the {} cap (passed at line {}), "
                                 "skipped to the next message",
                                 size_text(ctx_.limits.max_entry_bytes), line_no));
    LogEntry kept;
    kept.pid = cur().pid;  // a DETAIL line of another pid is still told apart
    kept.file = cur().file;
    kept.first_line = cur().first_line;
    cur() = std::move(kept);
    last_field_ = nullptr;
    cur_dropped_ = true;
    return false;
}

bool StderrGrouper::over_held_bytes() const { return sample_bytes_ + held_bytes_ > ctx_.limits.max_held_bytes; }

void StderrGrouper::feed(std::string_view line, long line_no, bool hint, long long pid_hint, std::string_view ts_hint) {
    if (!prefix_ && !detection_failed_) {
        if (ctx_.prefix) {
            prefix_ = LinePrefix::compile(*ctx_.prefix);
        } else {
            sample_.push_back({std::string(line), line_no, hint, pid_hint, std::string(ts_hint)});
            sample_bytes_ += line.size();
            if (sample_.size() < kDetectLines && !over_held_bytes()) return;
            finish_detection();
            return;
        }
    }
    process(line, line_no, hint, pid_hint, ts_hint);
}

void StderrGrouper::finish_detection() {
    std::vector<std::string> lines;
    for (const auto& b : sample_)
        if (!b.line.empty() && b.line[0] != '\t' && b.line[0] != ' ') lines.push_back(b.line);
    if (auto p = detect_prefix(lines)) {
        prefix_ = LinePrefix::compile(*p);
        start_with_first_prefix(lines);
    } else {
        detection_failed_ = true;
    }
    auto sample = std::move(sample_);
    sample_.clear();
    sample_bytes_ = 0;
    for (const auto& b : sample) process(b.line, b.line_no, b.hint, b.pid, b.ts);
}

// When the prefix changed inside the sample, the one most lines match may come
// second: read the first lines with their own prefix, so that the change is found
// where it happened.
void StderrGrouper::start_with_first_prefix(const std::vector<std::string>& lines) {
    std::vector<std::string> leading;
    for (const auto& l : lines) {
        LogEntry probe;
        if (prefix_->match(l, probe)) break;
        leading.push_back(l);
    }
    if (leading.empty() || leading.size() == lines.size()) return;
    auto first = detect_prefix(leading);
    if (!first) return;
    LinePrefix lp = LinePrefix::compile(*first);
    std::size_t matched = 0;
    for (const auto& l : leading) {
        LogEntry probe;
        matched += lp.match(l, probe) ? 1 : 0;
    }
    if (matched * 2 >= leading.size()) prefix_ = std::move(lp);
}

void StderrGrouper::finish() {
    if (!prefix_ && !detection_failed_ && !sample_.empty()) finish_detection();
    if (!held_.empty() && !redetect()) release_held();
    close_entry();
    if (prefix_) ctx_.detected_prefix = prefix_->text();
    if (prefix_ && prefix_->has_client_text())
        ctx_.notes.push_back(fmt::format(
            "log_line_prefix '{}' prints %a, %u or %d: free text that a client sets (application_name) or that names "
            "a role or database; a line they make readable two ways is flagged ('{}'). csvlog and jsonlog keep them "
            "in fields of their own and are immune (docs/ingest.md)",
            prefix_->text(), issue::kTwoSeverityMarkers));
}

namespace {
// Which reading of a line to believe: names within the server's limits first, then
// the message PostgreSQL would write, then the later severity marker — the one the
// server wrote after the free-text fields (a fake one sits inside them).
std::size_t choose_reading(const std::vector<LinePrefix::Reading>& rs, std::string_view line) {
    std::size_t best = 0;
    auto rank = [&](const LinePrefix::Reading& r) {
        return std::tuple(r.names_fit, message_form(r.fields.severity, line.substr(r.message_start)), r.message_start);
    };
    for (std::size_t i = 1; i < rs.size(); ++i)
        if (rank(rs[i]) > rank(rs[best])) best = i;
    return best;
}
}  // namespace

// The prefix's fields of a line into e; the offset of its message, nullopt when the
// prefix does not match. A line whose message holds a second severity marker may be
// read more than one way: every reading is weighed and the line is flagged.
std::optional<std::size_t> StderrGrouper::read_prefix(std::string_view line, long line_no, LogEntry& e) {
    auto msg = prefix_->match(line, e);
    std::string_view sev;
    std::size_t ms = 0;
    if (!msg || find_severity(line.substr(*msg), sev, ms) == std::string_view::npos) return msg;
    auto rs = prefix_->readings(line);
    // A reading with a name longer than the server writes is no reading, unless all are.
    if (std::any_of(rs.begin(), rs.end(), [](const auto& r) { return r.names_fit; }))
        rs.erase(std::remove_if(rs.begin(), rs.end(), [](const auto& r) { return !r.names_fit; }), rs.end());
    if (rs.size() < 2) return msg;
    std::size_t best = choose_reading(rs, line);
    // Values stay out of the message: they are what a client wrote.
    ctx_.issues->add(issue::kTwoSeverityMarkers, ctx_.file, line_no,
                     fmt::format("the line reads {} ways; read with the message after severity marker {} (a free-text "
                                 "prefix field or the message holds another)",
                                 rs.size(), best + 1));
    e = std::move(rs[best].fields);
    return rs[best].message_start;
}

void StderrGrouper::process(std::string_view line, long line_no, bool hint, long long pid_hint,
                            std::string_view ts_hint) {
    if (line_is_bad(line, ctx_, line_no)) return;
    if (!held_.empty()) {
        LogEntry probe;
        if (!prefix_ || !prefix_->match(line, probe)) {
            hold({std::string(line), line_no, hint, pid_hint, std::string(ts_hint)});
            return;
        }
        release_held();  // the prefix matches again: the held lines were stray
    }
    if (!take(line, line_no, hint, pid_hint, ts_hint))
        hold({std::string(line), line_no, hint, pid_hint, std::string(ts_hint)});
}

// A syslog line after its message's first ([N-k], k > 1) that starts with spaces: the
// separator and a log_line_prefix that starts with a space (Heroku's ' sql_error_code = %e ')
// before DETAIL, STATEMENT, ...; or a continuation indented with spaces. Only the prefix
// with a severity after it says which: then the spaces go.
std::optional<std::size_t> StderrGrouper::read_spaced_prefix(std::string_view& line, long line_no, LogEntry& e) {
    const std::size_t lead = line.find_first_not_of(' ');
    if (lead == 0 || lead == std::string_view::npos) return std::nullopt;
    auto msg = read_prefix(line.substr(lead), line_no, e);
    if (msg) line.remove_prefix(lead);
    return msg;
}

bool StderrGrouper::take(std::string_view line, long line_no, bool hint, long long pid_hint, std::string_view ts_hint) {
    // line_fields() is only ever written by the prefix match (all of its prefix fields, or nothing
    // when it fails): the hints go into the entry below, so that they do not outlive this line.
    LogEntry& e = line_fields();
    std::optional<std::size_t> msg;
    if (prefix_) msg = read_prefix(line, line_no, e);
    if (!msg && prefix_ && hint) msg = read_spaced_prefix(line, line_no, e);
    if (msg) {
        const long long pid = e.pid ? e.pid : pid_hint;
        std::string_view rest = line.substr(*msg);
        if (is_secondary_label(e.severity)) {
            if (!have_ || (pid && cur().pid && pid != cur().pid)) return true;  // orphan DETAIL: nothing to attach to
            std::string* field = nullptr;
            if (e.severity == "DETAIL") field = &cur().detail;
            else if (e.severity == "HINT") field = &cur().hint;
            else if (e.severity == "CONTEXT") field = &cur().context;
            else if (e.severity == "STATEMENT" || e.severity == "QUERY") field = &cur().statement;
            cur().last_line = line_no;
            if (!grow_entry(rest.size(), line_no)) return true;
            if (field) {
                field->assign(rest);
                last_field_ = field;
            } else {
                last_field_ = nullptr;
            }
            return true;
        }
        close_entry();
        // The line's fields become the entry's: the two trade places, with no copy (the copy was
        // 6% of the reader thread's instructions, issue 17). The spent entry is read into by the
        // next line, its texts emptied: the prefix match writes every other field it is read for.
        cur_slot_ = 1 - cur_slot_;
        LogEntry& spent = line_fields();
        for (std::string* text : {&spent.message, &spent.detail, &spent.hint, &spent.context, &spent.statement})
            text->clear();
        cur().pid = pid;
        if (cur().timestamp.empty() && !ts_hint.empty()) {
            cur().timestamp.assign(ts_hint);
            cur().epoch_ms = parse_timestamp_ms(ts_hint);
        }
        // stderr appends the error position to the message; csvlog/jsonlog
        // keep it in its own column. Drop it so all three say the same.
        if (cur().severity == "ERROR" || cur().severity == "FATAL") {
            std::size_t at = rest.rfind(" at character ");
            if (at != std::string_view::npos &&
                rest.find_first_not_of("0123456789", at + 14) == std::string_view::npos && at + 14 < rest.size())
                rest = rest.substr(0, at);
        }
        cur().file = ctx_.file;
        cur().first_line = cur().last_line = line_no;
        cur().message.assign(rest);
        last_field_ = &cur().message;
        have_ = true;
        grow_entry(rest.size(), line_no);
        return true;
    }
    // PostgreSQL writes a tab after each newline inside a message; some tools
    // turn it into spaces. An empty line inside a statement is kept too.
    if (have_ && (hint || line.empty() || line[0] == '\t' || line[0] == ' ')) {
        cur().last_line = line_no;
        if (!grow_entry(line.size() + 1, line_no)) return true;
        if (last_field_) {
            *last_field_ += '\n';
            *last_field_ += line.substr(!line.empty() && line[0] == '\t' ? 1 : 0);
        }
        return true;
    }
    return line.empty();
}

namespace {
constexpr std::size_t kRedetectLines = 20;   // lines matching no prefix before it is detected again
constexpr std::size_t kMaxHeldLines = 1000;  // continuation lines included
}  // namespace

void StderrGrouper::hold(Buffered b) {
    bool continuation = b.hint || b.line.empty() || b.line[0] == '\t' || b.line[0] == ' ';
    if (held_.empty() && continuation) {
        report_mismatch(b.line_no);  // a continuation with nothing to continue
        return;
    }
    if (!continuation) ++held_first_lines_;
    held_bytes_ += b.line.size();
    held_.push_back(std::move(b));
    if (held_first_lines_ >= kRedetectLines || held_.size() >= kMaxHeldLines || over_held_bytes())
        if (!redetect()) release_held();
}

// The held lines again with the prefix as it is: each one that matches nothing is reported.
void StderrGrouper::release_held() {
    auto held = std::move(held_);
    held_.clear();
    held_first_lines_ = 0;
    held_bytes_ = 0;
    for (const auto& b : held)
        if (!take(b.line, b.line_no, b.hint, b.pid, b.ts)) report_mismatch(b.line_no);
}

// The server was reconfigured (log_line_prefix changed, then a reload): detect the
// prefix from the held lines and read them with it, noting where it changed.
bool StderrGrouper::redetect() {
    std::vector<std::string> lines;
    for (const auto& b : held_)
        if (!b.line.empty() && b.line[0] != '\t' && b.line[0] != ' ') lines.push_back(b.line);
    auto text = detect_prefix(lines);
    if (!text || (prefix_ && *text == prefix_->text())) return false;
    LinePrefix next = LinePrefix::compile(*text);
    long first_match = 0;
    std::size_t matched = 0;
    for (const auto& b : held_) {
        LogEntry probe;
        if (!next.match(b.line, probe)) continue;
        if (!first_match) first_match = b.line_no;
        ++matched;
    }
    if (matched * 2 < lines.size()) return false;  // mostly stray lines, not a new prefix
    ctx_.notes.push_back(prefix_ ? fmt::format("{}:{}: log_line_prefix changed from '{}' to '{}'", ctx_.file,
                                               first_match, prefix_->text(), *text)
                                 : fmt::format("{}:{}: log_line_prefix '{}' detected", ctx_.file, first_match, *text));
    prefix_ = std::move(next);
    release_held();
    return true;
}

void StderrGrouper::report_mismatch(long line_no) {
    close_entry();
    ctx_.issues->add(issue::kPrefixMismatch, ctx_.file, line_no,
                     prefix_ ? "does not match log_line_prefix '" + prefix_->text() + "'"
                             : std::string("no log_line_prefix could be detected (give --prefix)"));
}

void read_stderr(LineReader& in, ReaderContext& ctx) {
    Assembler asm_(ctx.sink, *ctx.issues, ctx.sessions);
    StderrGrouper g(ctx, asm_);
    std::string_view line;
    while (in.next(line)) g.feed(line, in.line_number());
    g.finish();
    asm_.flush();
}

// ---------------------------------------------------------------- syslog
namespace {
// The syslog header's time: ISO 8601 (logplex) as is; BSD "Feb 11 13:15:39"
// has no year, the current one is assumed (as pgBadger does).
std::string_view syslog_timestamp(std::string_view line, std::string& buf) {
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (line.size() > 20 && std::isdigit(static_cast<unsigned char>(line[0])) && line[10] == 'T')
        return line.substr(0, line.find(' '));
    if (line.size() < 15 || line[3] != ' ' || line[6] != ' ') return {};
    for (int m = 0; m < 12; ++m) {
        if (line.substr(0, 3) != months[m]) continue;
        static const int year = [] {
            std::time_t now = std::time(nullptr);
            std::tm tm{};
            gmtime_r(&now, &tm);
            return tm.tm_year + 1900;
        }();
        int day = (line[4] == ' ' ? 0 : (line[4] - '0') * 10) + (line[5] - '0');
        buf = fmt::format("{:04}-{:02}-{:02} {}", year, m + 1, day, line.substr(7, 8));
        return buf;
    }
    return {};
}
}  // namespace

void read_syslog(LineReader& in, ReaderContext& ctx) {
    Assembler asm_(ctx.sink, *ctx.issues, ctx.sessions);
    StderrGrouper g(ctx, asm_);
    std::string_view line;
    std::string rest, ts;
    while (in.next(line)) {
        long ln = in.line_number();
        // "<header> ident[pid]: [COLOR] [L-N] rest": the ident's [pid] is the
        // first bracket holding digits (after an optional "name." part).
        std::size_t open = std::string_view::npos, close = std::string_view::npos;
        for (std::size_t k = line.find('['); k != std::string_view::npos; k = line.find('[', k + 1)) {
            std::size_t c = line.find(']', k);
            if (c == std::string_view::npos || c == k + 1) break;
            if (std::isdigit(static_cast<unsigned char>(line[c - 1])) &&
                line.substr(k + 1, c - k - 1).find('-') == std::string_view::npos) {
                open = k;
                close = c;
                break;
            }
        }
        if (open == std::string_view::npos) {
            if (!line.empty()) ctx.issues->add(issue::kPrefixMismatch, ctx.file, ln, "not a syslog line");
            continue;
        }
        // Other programs share syslog files (systemd, cron): not ours, not an error in the log.
        std::string_view ident = line.substr(0, open);
        if (std::size_t sp = ident.rfind(' '); sp != std::string_view::npos) ident = ident.substr(sp + 1);
        std::string_view bracket = line.substr(open, close - open);  // Heroku: app[postgres.4882]
        if (ident.find("postgres") == std::string_view::npos && ident.find("postmaster") == std::string_view::npos &&
            bracket.find("postgres") == std::string_view::npos) {
            ctx.issues->add(issue::kOtherProgram, ctx.file, ln, "syslog line from " + std::string(ident));
            continue;
        }
        std::string_view pid_text = line.substr(open + 1, close - open - 1);
        if (std::size_t dot = pid_text.rfind('.'); dot != std::string_view::npos) pid_text = pid_text.substr(dot + 1);
        long long pid = to_ll(pid_text);
        std::string_view r = line.substr(close + 1);
        if (starts_with(r, ":")) r.remove_prefix(1);
        if (starts_with(r, " ")) r.remove_prefix(1);
        if (starts_with(r, "[") && r.find("] [") != std::string_view::npos && r.size() > 1 &&
            !std::isdigit(static_cast<unsigned char>(r[1])))
            r = r.substr(r.find("] [") + 2);  // logplex colour tag
        int part = 1;
        if (starts_with(r, "[")) {
            std::size_t end = r.find(']');
            std::size_t dash = r.find('-');
            if (end != std::string_view::npos && dash != std::string_view::npos && dash < end)
                part = static_cast<int>(to_ll(r.substr(dash + 1, end - dash - 1)));
            if (end != std::string_view::npos) r = r.substr(end + 1);
        }
        if (!r.empty() && r[0] == ' ') r.remove_prefix(1);
        // rsyslog escapes control characters: #011 is a tab.
        rest.clear();
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (r[i] == '#' && i + 3 < r.size() + 0 && r.substr(i, 4) == "#011") {
                rest += '\t';
                i += 3;
            } else {
                rest += r[i];
            }
        }
        std::string_view payload = rest;
        if (part == 1)
            while (!payload.empty() && payload[0] == ' ') payload.remove_prefix(1);
        g.feed(payload, ln, part > 1, pid, syslog_timestamp(line, ts));
    }
    g.finish();
    asm_.flush();
}

// ---------------------------------------------------------------- csv
bool read_csv_record(LineReader& in, CsvRecord& record, std::size_t max_bytes) {
    auto& fields = record.fields;
    fields.clear();
    record.unterminated = record.too_long = false;
    std::string_view line;
    if (!in.next(line)) return false;
    record.first_line = in.line_number();
    std::string field;
    std::size_t bytes = 0;
    bool quoted = false, in_quotes = false;
    bool field_empty = true;  // not field.empty(): past the cap nothing is kept in it
    for (;;) {
        // Past the cap the quotes are still followed, to find where the record ends, but nothing is kept.
        bytes += line.size() + 1;
        if (bytes > max_bytes && !record.too_long) {
            record.too_long = true;
            fields.clear();
            fields.shrink_to_fit();
            field = std::string();
        }
        for (std::size_t i = 0; i < line.size(); ++i) {
            char c = line[i];
            if (in_quotes) {
                if (c == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        if (!record.too_long) field += '"';
                        field_empty = false;
                        ++i;
                    } else {
                        in_quotes = false;
                    }
                } else {
                    if (!record.too_long) field += c;
                    field_empty = false;
                }
            } else if (c == ',') {
                if (!record.too_long) fields.push_back(std::move(field));
                field.clear();
                field_empty = true;
                quoted = false;
            } else if (c == '"' && field_empty && !quoted) {
                in_quotes = quoted = true;
            } else {
                if (!record.too_long) field += c;
                field_empty = false;
            }
        }
        if (!in_quotes) break;
        // A newline inside a quoted field: the record goes on.
        if (!in.next(line)) {
            record.unterminated = true;
            break;
        }
        if (!record.too_long) field += '\n';
        field_empty = false;
    }
    if (!record.too_long) fields.push_back(std::move(field));
    return true;
}

namespace {
void report_csv_too_long(const CsvRecord& r, const ReaderContext& ctx, long last_line) {
    ctx.issues->add(issue::kEntryTooLong, ctx.file, r.first_line,
                    fmt::format("a csv record longer than the {} cap (to line {}), skipped",
                                size_text(ctx.limits.max_entry_bytes), last_line));
}
}  // namespace

void read_csvlog(LineReader& in, ReaderContext& ctx) {
    Assembler asm_(ctx.sink, *ctx.issues, ctx.sessions);
    CsvRecord record;
    const auto& f = record.fields;
    while (read_csv_record(in, record, ctx.limits.max_entry_bytes)) {
        const long first = record.first_line;
        long last = in.line_number();
        if (record.unterminated) {
            ctx.issues->add(issue::kCsvUnterminated, ctx.file, first, "the file ends inside a quoted field");
            break;
        }
        if (record.too_long) {
            report_csv_too_long(record, ctx, last);
            continue;
        }
        if (f.size() == 1 && f[0].empty()) continue;
        // PostgreSQL <= 12: 23 columns; 13: +backend_type; 14+: +leader_pid, query_id.
        if (f.size() < 23 || f.size() > 26) {
            ctx.issues->add(issue::kCsvColumns, ctx.file, first,
                            std::to_string(f.size()) + " columns, csvlog has 23 to 26");
            continue;
        }
        bool bad = false;
        for (const auto& x : f)
            if (find_invalid_utf8(x) != std::string_view::npos || looks_binary(x)) bad = true;
        if (bad) {
            ctx.issues->add(issue::kInvalidUtf8, ctx.file, first, "invalid UTF-8 or control bytes in a csv field");
            continue;
        }
        LogEntry e;
        e.file = ctx.file;
        e.first_line = first;
        e.last_line = last;
        e.timestamp = f[0];
        e.epoch_ms = parse_timestamp_ms(f[0]);
        e.user = f[1];
        e.database = f[2];
        e.pid = to_ll(f[3]);
        e.session_id = f[5];
        e.vxid = f[9];
        e.xid = to_ll(f[10]);
        e.severity = f[11];
        e.sqlstate = f[12];
        e.message = f[13];
        e.detail = f[14];
        e.hint = f[15];
        e.context = f[18];
        e.statement = f[19];
        e.application = f[22];
        if (f.size() >= 26) e.query_id = to_ll(f[25]);
        asm_.add(e);
    }
    asm_.flush();
}

// ---------------------------------------------------------------- json
namespace {
std::string jfield(const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    if (it == o.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    if (it->is_number()) return std::to_string(it->get<double>());
    return it->dump();
}
long long jint(const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    if (it == o.end()) return 0;
    if (it->is_number_integer()) return it->get<long long>();
    if (it->is_string()) return to_ll(it->get_ref<const std::string&>());
    return 0;
}
}  // namespace

namespace {

// A JSON string starting at s[i] == '"'; i ends after the closing quote.
bool json_string(std::string_view s, std::size_t& i, std::string& out) {
    out.clear();
    ++i;
    while (i < s.size()) {
        std::size_t q = s.find_first_of("\\\"", i);
        if (q == std::string_view::npos) return false;
        out.append(s.substr(i, q - i));
        i = q;
        if (s[i] == '"') {
            ++i;
            return true;
        }
        ++i;
        if (!sql::append_json_escape(s, i, out, /*strict=*/false)) return false;
    }
    return false;
}

// PostgreSQL's jsonlog lines are flat objects of strings and numbers: read
// them without building a DOM (5x faster than a general parser). Anything
// else (nesting, arrays, true/false) returns false and goes to nlohmann.
bool flat_json_object(std::string_view s, std::vector<std::pair<std::string, std::string>>& kv) {
    kv.clear();
    std::size_t i = s.find_first_not_of(" \t");
    if (i == std::string_view::npos || s[i] != '{') return false;
    ++i;
    std::string key, value;
    auto ws = [&] {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    };
    ws();
    if (i < s.size() && s[i] == '}') return true;
    for (;;) {
        ws();
        if (i >= s.size() || s[i] != '"' || !json_string(s, i, key)) return false;
        ws();
        if (i >= s.size() || s[i] != ':') return false;
        ++i;
        ws();
        if (i >= s.size()) return false;
        if (s[i] == '"') {
            if (!json_string(s, i, value)) return false;
        } else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')) {
            std::size_t st = i;
            while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == '.' ||
                                    s[i] == 'e' || s[i] == 'E' || s[i] == '+'))
                ++i;
            value.assign(s.substr(st, i - st));
        } else if (s.substr(i, 4) == "null") {
            value.clear();
            i += 4;
        } else {
            return false;
        }
        kv.emplace_back(std::move(key), std::move(value));
        ws();
        if (i < s.size() && s[i] == ',') {
            ++i;
            continue;
        }
        if (i < s.size() && s[i] == '}') {
            ++i;
            ws();
            return i == s.size();
        }
        return false;
    }
}

// When Cloud Logging says the entry happened ("timestamp", set by the agent that read the
// line), else when it received it ("receiveTimestamp", a second or two later); empty if neither.
std::string_view cloud_logging_time(const nlohmann::json& wrapper) {
    for (const char* key : {"timestamp", "receiveTimestamp"})
        if (auto t = wrapper.find(key); t != wrapper.end() && t->is_string()) return t->get_ref<const std::string&>();
    return {};
}

// A PostgreSQL 15+ jsonlog object's fields into a LogEntry.
void entry_from_jsonlog(const std::vector<std::pair<std::string, std::string>>& kv, LogEntry& e) {
    for (const auto& [k, v] : kv) {
        if (k == "timestamp") e.timestamp = v;
        else if (k == "user") e.user = v;
        else if (k == "dbname") e.database = v;
        else if (k == "pid") e.pid = to_ll(v);
        else if (k == "session_id") e.session_id = v;
        else if (k == "vxid") e.vxid = v;
        else if (k == "txid") e.xid = to_ll(v);
        else if (k == "state_code") e.sqlstate = v;
        else if (k == "statement") e.statement = v;
        else if (k == "application_name") e.application = v;
        else if (k == "error_severity") e.severity = v;
        else if (k == "message") e.message = v;
        else if (k == "detail") e.detail = v;
        else if (k == "hint") e.hint = v;
        else if (k == "context") e.context = v;
        else if (k == "query_id") e.query_id = to_ll(v);
    }
}

}  // namespace

void read_jsonlog(LineReader& in, ReaderContext& ctx) {
    Assembler asm_(ctx.sink, *ctx.issues, ctx.sessions);
    StderrGrouper text_payloads(ctx, asm_);  // Cloud SQL wraps stderr lines in JSON
    std::vector<std::pair<std::string, std::string>> kv;
    std::string_view line;
    while (in.next(line)) {
        long ln = in.line_number();
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        if (line_is_bad(line, ctx, ln)) continue;
        if (flat_json_object(line, kv)) {
            bool has_sev = false, has_payload = false;
            for (const auto& [k, v] : kv) {
                has_sev |= k == "error_severity";
                has_payload |= k == "textPayload" || k == "log_time";
            }
            if (has_sev && !has_payload) {
                LogEntry e;
                e.file = ctx.file;
                e.first_line = e.last_line = ln;
                entry_from_jsonlog(kv, e);
                e.epoch_ms = parse_timestamp_ms(e.timestamp);
                asm_.add(e);
                continue;
            }
        }
        if (sql::json_nests_deeper_than(line)) {
            ctx.issues->add(issue::kTooDeep, ctx.file, ln, sql::nested_too_deeply("a JSON value"));
            continue;
        }
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            ctx.issues->add(issue::kBadJson, ctx.file, ln, j.is_discarded() ? "not a JSON object" : "not an object");
            continue;
        }
        if (auto tp = j.find("textPayload"); tp != j.end() && tp->is_string()) {
            // Cloud SQL's payload carries no time of its own ('[%p]: [%l-1] db=%d,user=%u '): the wrapper's is used.
            text_payloads.feed(tp->get_ref<const std::string&>(), ln, false, 0, cloud_logging_time(j));
            continue;
        }
        LogEntry e;
        e.file = ctx.file;
        e.first_line = e.last_line = ln;
        const nlohmann::json* rec = &j;
        if (auto r = j.find("record"); r != j.end() && r->is_object()) rec = &*r;  // CloudNativePG
        const auto& o = *rec;
        if (o.contains("error_severity") && (o.contains("log_time") || o.contains("process_id"))) {
            // csvlog column names (CloudNativePG)
            e.timestamp = jfield(o, "log_time");
            e.user = jfield(o, "user_name");
            e.database = jfield(o, "database_name");
            e.pid = jint(o, "process_id");
            e.session_id = jfield(o, "session_id");
            e.vxid = jfield(o, "virtual_transaction_id");
            e.xid = jint(o, "transaction_id");
            e.sqlstate = jfield(o, "sql_state_code");
            e.statement = jfield(o, "query");
            e.application = jfield(o, "application_name");
        } else if (o.contains("error_severity")) {
            // PostgreSQL 15+ jsonlog
            e.timestamp = jfield(o, "timestamp");
            e.user = jfield(o, "user");
            e.database = jfield(o, "dbname");
            e.pid = jint(o, "pid");
            e.session_id = jfield(o, "session_id");
            e.vxid = jfield(o, "vxid");
            e.xid = jint(o, "txid");
            e.sqlstate = jfield(o, "state_code");
            e.statement = jfield(o, "statement");
            e.application = jfield(o, "application_name");
        } else {
            ctx.issues->add(issue::kNotLogRecord, ctx.file, ln, "a JSON object without error_severity");
            continue;
        }
        e.epoch_ms = parse_timestamp_ms(e.timestamp);
        e.severity = jfield(o, "error_severity");
        e.message = jfield(o, "message");
        e.detail = jfield(o, "detail");
        e.hint = jfield(o, "hint");
        e.context = jfield(o, "context");
        e.query_id = jint(o, "query_id");
        asm_.add(e);
    }
    text_payloads.finish();
    asm_.flush();
}

// ---------------------------------------------------------------- pg_stat_statements
void read_pgss(LineReader& in, ReaderContext& ctx) {
    CsvRecord record;
    const auto& f = record.fields;
    if (!read_csv_record(in, record, ctx.limits.max_entry_bytes)) return;
    if (record.too_long) {
        report_csv_too_long(record, ctx, in.line_number());
        return;
    }
    // A row must have as many fields as the header, not as many distinct names:
    // a header naming a column twice would let a short row reach past its end.
    const std::size_t width = f.size();
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < f.size(); ++i) col.emplace(f[i], i);  // the first of a repeated name
    auto idx = [&](std::initializer_list<const char*> names) -> std::optional<std::size_t> {
        for (const char* n : names)
            if (auto it = col.find(n); it != col.end()) return it->second;
        return std::nullopt;
    };
    auto q = idx({"query"});
    auto calls = idx({"calls"});
    // total_exec_time: PostgreSQL 13+; total_time before.
    auto total = idx({"total_exec_time", "total_time"});
    auto qid = idx({"queryid"});
    auto user = idx({"rolname", "username", "usename", "userid"});
    auto db = idx({"datname", "dbname", "database", "dbid"});
    if (!q || !calls) {
        ctx.issues->add(issue::kCsvColumns, ctx.file, record.first_line,
                        "pg_stat_statements header without query and calls columns");
        return;
    }
    while (read_csv_record(in, record, ctx.limits.max_entry_bytes)) {
        const long first = record.first_line;
        if (record.unterminated) {
            ctx.issues->add(issue::kCsvUnterminated, ctx.file, first, "the file ends inside a quoted field");
            break;
        }
        if (record.too_long) {
            report_csv_too_long(record, ctx, in.line_number());
            continue;
        }
        if (f.size() == 1 && f[0].empty()) continue;
        if (f.size() != width) {
            ctx.issues->add(issue::kCsvColumns, ctx.file, first,
                            std::to_string(f.size()) + " columns, the header has " + std::to_string(width));
            continue;
        }
        PgssRow row;
        row.query = f[*q];
        row.calls = to_ll(f[*calls]);
        if (total) {
            double t = 0;
            std::from_chars(f[*total].data(), f[*total].data() + f[*total].size(), t);
            row.total_ms = t;
        }
        if (qid) row.query_id = to_ll(f[*qid]);
        if (user) row.user = f[*user];
        if (db) row.database = f[*db];
        ctx.sink(statement_from_pgss(std::move(row), {ctx.file, first, in.line_number()}));
    }
}

// ---------------------------------------------------------------- documents
namespace {
// The whole document, or nothing when it is larger than the cap: a cut plan or SQL
// file reads as broken, so none of it is analysed, and the rest is not read.
std::optional<std::string> slurp(LineReader& in, const ReaderContext& ctx) {
    std::string doc;
    std::string_view line;
    while (in.next(line)) {
        if (doc.size() + line.size() + 1 > ctx.limits.max_document_bytes) {
            ctx.issues->add(issue::kDocumentTooLarge, ctx.file, in.line_number(),
                            "the document passes the " + size_text(ctx.limits.max_document_bytes) +
                                " cap at this line, not read");
            return std::nullopt;
        }
        doc.append(line);
        doc += '\n';
    }
    return doc;
}
}  // namespace

void read_explain(LineReader& in, ReaderContext& ctx) {
    auto doc = slurp(in, ctx);
    if (!doc) return;
    auto r = parse_explain(*doc);
    for (const auto& e : r.errors) ctx.issues->add(issue::kBadPlan, ctx.file, 1, e);
    for (auto& p : r.plans) {
        Statement s;
        s.source = {ctx.file, 1, in.line_number()};
        s.text = p.query_text;
        s.duration_ms = p.execution_ms;
        s.plan = std::make_shared<const Plan>(std::move(p));
        ctx.sink(std::move(s));
    }
}

void read_sql(LineReader& in, ReaderContext& ctx) {
    auto maybe_doc = slurp(in, ctx);
    if (!maybe_doc) return;
    const std::string& doc = *maybe_doc;
    auto split = sql::split_statements(doc);
    if (!split) {
        ctx.issues->add(issue::kNoStatement, ctx.file, 1, "the SQL could not be split into statements");
        return;
    }
    sql::LineCounter lines(doc);
    for (const auto& span : *split.value) {
        std::string_view text = std::string_view(doc).substr(span.offset, span.length);
        // Leading blank and "--" comment lines are not part of the statement.
        std::size_t a = 0;
        for (;;) {
            a = text.find_first_not_of(" \t\r\n", a);
            if (a == std::string_view::npos || text.substr(a, 2) != "--") break;
            a = text.find('\n', a);
            if (a == std::string_view::npos) break;
        }
        if (a == std::string_view::npos) continue;
        text.remove_prefix(a);
        while (!text.empty() &&
               (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' || text.back() == '\r'))
            text.remove_suffix(1);
        Statement s;
        const int first = lines.line_of(span.offset + a);
        s.source = {ctx.file, first, lines.line_of(span.offset + a + (text.empty() ? 0 : text.size() - 1))};
        s.text = std::string(text);
        ctx.sink(std::move(s));
    }
}

}  // namespace pgadvisor::ingest
