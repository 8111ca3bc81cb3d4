#include "ingest/prefix.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

namespace pgadvisor::ingest {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// std::isalpha in the "C" locale, without its call.
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Length of "YYYY-MM-DD HH:MM:SS[.fff] TZ" at pos, or 0.
std::size_t timestamp_len(std::string_view s, std::size_t pos, bool with_ms) {
    static constexpr std::size_t kShapeSize = 19;  // "dddd-dd-dd dd:dd:dd"
    if (pos + kShapeSize > s.size()) return 0;
    // Position by position, no loop over a pattern: this runs for every line (issue 17).
    const char* t = s.data() + pos;
    if (t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' || t[16] != ':') return 0;
    for (int d : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
        if (!is_digit(t[d])) return 0;
    std::size_t i = pos + kShapeSize;
    if (with_ms) {
        if (i >= s.size() || s[i] != '.') return 0;
        ++i;
        std::size_t d = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == d) return 0;
    }
    // The zone: " CEST", " UTC", " +02", " -03:30" (an abbreviation, or a signed offset).
    if (i + 1 < s.size() && s[i] == ' ') {
        std::size_t z = i + 1, j = z;
        if (s[j] == '+' || s[j] == '-') {
            ++j;
            while (j < s.size() && (is_digit(s[j]) || s[j] == ':')) ++j;
        } else {
            while (j < s.size() && is_ascii_letter(s[j])) ++j;
        }
        // A zone is short and not a severity word followed by ':' (no zone at all).
        if (j > z && j - z <= 6 && !(j < s.size() && s[j] == ':' && is_severity(s.substr(z, j - z)))) i = j;
    }
    return i - pos;
}

bool is_free_text(char escape) { return std::string_view("audrhbi").find(escape) != std::string_view::npos; }

// Host names (%h, %r) hold no space: a space ends them.
bool is_host(char escape) { return escape == 'h' || escape == 'r'; }

long long to_ll(std::string_view s) {
    long long v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

// A severity word (or a secondary label such as DETAIL) at `pos`, its ':' and the blanks
// after it ("LOG:  msg"): right after a prefix, or where find_severity found a word
// that ends at a colon. False when there is none; then nothing is set.
bool severity_at(std::string_view line, std::size_t pos, std::string_view& severity, std::size_t& msg) {
    std::size_t j = pos;
    while (j < line.size() && ((line[j] >= 'A' && line[j] <= 'Z') || is_digit(line[j]))) ++j;
    if (j == pos || j >= line.size() || line[j] != ':') return false;
    std::string_view w = line.substr(pos, j - pos);
    if (!is_severity(w) && !is_secondary_label(w)) return false;
    std::size_t m = j + 1;
    // "LOG:  msg"; some cloud prefixes end the line right after "LOG:".
    if (m < line.size() && line[m] != ' ') return false;
    while (m < line.size() && line[m] == ' ') ++m;
    severity = w;
    msg = m;
    return true;
}

}  // namespace

LinePrefix LinePrefix::compile(std::string_view p) {
    LinePrefix lp;
    lp.text_ = std::string(p);
    bool after_q = false;
    auto add_literal = [&](char c) {
        if (lp.tokens_.empty() || lp.tokens_.back().escape != 0 || lp.tokens_.back().after_q != after_q)
            lp.tokens_.push_back(Token{0, {}, after_q});
        lp.tokens_.back().literal += c;
    };
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (p[i] != '%' || i + 1 >= p.size()) {
            add_literal(p[i]);
            continue;
        }
        char c = p[++i];
        // Padding like %-10u: skip the width (the value is padded with spaces).
        while ((c == '-' || is_digit(c)) && i + 1 < p.size()) c = p[++i];
        switch (c) {
            case '%': add_literal('%'); break;
            case 'q': after_q = true; break;
            case 'a':
            case 'u':
            case 'd':
            case 'r':
            case 'h':
            case 'b':
            case 'p':
            case 'P':
            case 't':
            case 'm':
            case 'n':
            case 'i':
            case 'e':
            case 'c':
            case 'l':
            case 's':
            case 'v':
            case 'x':
            case 'Q':
                lp.tokens_.push_back(Token{c, {}, after_q, is_free_text(c)});
                lp.escapes_[static_cast<unsigned char>(c)] = true;
                break;
            default:
                add_literal('%');
                add_literal(c);
                break;
        }
    }
    return lp;
}

std::size_t find_severity(std::string_view line, std::string_view& severity, std::size_t& message_start) {
    // A marker is an upper-case word right before a ':', so only the colons are visited
    // (memchr) and the word is read back from each: this runs on every line's message,
    // which is mostly SQL with no colon at all, and a byte-by-byte walk was 3.6% of
    // analyze's instructions (issue 17). The first colon whose word qualifies wins, as
    // the first such word from the left would.
    for (std::size_t c = line.find(':'); c != std::string_view::npos; c = line.find(':', c + 1)) {
        std::size_t i = c;
        while (i > 0 && ((line[i - 1] >= 'A' && line[i - 1] <= 'Z') || is_digit(line[i - 1]))) --i;
        // The word starts with a letter, not inside a longer identifier.
        if (i == c || line[i] < 'A' || line[i] > 'Z') continue;
        if (i > 0 && (std::isalnum(static_cast<unsigned char>(line[i - 1])) || line[i - 1] == '_')) continue;
        if (severity_at(line, i, severity, message_start)) return i;
    }
    return std::string_view::npos;
}

bool LinePrefix::match_from(std::size_t ti, std::string_view line, std::size_t pos, Spans& sp, std::size_t& msg) const {
    if (ti == tokens_.size()) {
        if (!severity_at(line, pos, sp.severity, msg)) return false;
        return sp.all ? collect(sp, msg) : true;
    }
    const Token& t = tokens_[ti];
    // %q: background processes print nothing from here on.
    if (t.after_q && (ti == 0 || !tokens_[ti - 1].after_q)) {
        if (match_token(ti, line, pos, sp, msg)) return true;
        for (std::size_t k = ti; k < tokens_.size(); ++k) sp.spans[k] = {};
        return match_from(tokens_.size(), line, pos, sp, msg);
    }
    return match_token(ti, line, pos, sp, msg);
}

namespace {

// Length of a fixed-shape escape's value at pos (every escape but the free-text
// ones: %a %u %d %r %h %b %i); nullopt when the line does not have it there.
std::optional<std::size_t> fixed_value_len(char escape, std::string_view line, std::size_t pos) {
    switch (escape) {
        case 't':
        case 's': {
            std::size_t n = timestamp_len(line, pos, false);
            if (n == 0) return std::nullopt;
            return n;
        }
        case 'm': {
            std::size_t n = timestamp_len(line, pos, true);
            if (n == 0) return std::nullopt;
            return n;
        }
        case 'n': {
            std::size_t i = pos;
            while (i < line.size() && is_digit(line[i])) ++i;
            if (i < line.size() && line[i] == '.') ++i;
            while (i < line.size() && is_digit(line[i])) ++i;
            if (i == pos) return std::nullopt;
            return i - pos;
        }
        case 'p':
        case 'l':
        case 'x':
        case 'Q':
        case 'P': {
            std::size_t i = pos;
            if (i < line.size() && line[i] == '-' && escape == 'Q') ++i;
            while (i < line.size() && is_digit(line[i])) ++i;
            if (i == pos && escape != 'P') return std::nullopt;  // %P is empty outside parallel workers
            return i - pos;
        }
        case 'c': {
            std::size_t i = pos;
            while (i < line.size() && is_hex(line[i])) ++i;
            if (i == pos || i >= line.size() || line[i] != '.') return std::nullopt;
            std::size_t j = ++i;
            while (i < line.size() && is_hex(line[i])) ++i;
            if (i == j) return std::nullopt;
            return i - pos;
        }
        case 'v': {
            std::size_t i = pos;
            while (i < line.size() && (is_digit(line[i]) || line[i] == '/' || line[i] == '-')) ++i;
            return i - pos;  // empty for processes without a transaction
        }
        case 'e': {
            std::size_t i = pos;
            while (i < line.size() && i - pos < 5 && std::isalnum(static_cast<unsigned char>(line[i]))) ++i;
            if (i - pos != 5) return std::nullopt;
            return 5;
        }
        default: return std::nullopt;
    }
}

}  // namespace

bool LinePrefix::match_token(std::size_t ti, std::string_view line, std::size_t pos, Spans& sp,
                             std::size_t& msg) const {
    if (++sp.steps > 20000) return false;
    const Token& t = tokens_[ti];
    if (t.escape == 0) {
        if (line.substr(pos, t.literal.size()) != t.literal) return false;
        return match_from(ti + 1, line, pos + t.literal.size(), sp, msg);
    }
    if (!t.free_text) {
        auto n = fixed_value_len(t.escape, line, pos);
        if (!n) return false;
        sp.spans[ti] = line.substr(pos, *n);
        return match_from(ti + 1, line, pos + *n, sp, msg);
    }
    // Free text: the shortest run after which the rest matches.
    const std::string* next_lit = ti + 1 < tokens_.size() && tokens_[ti + 1].escape == 0 ? &tokens_[ti + 1].literal
                                                                                         : nullptr;
    std::size_t k = pos;
    for (;;) {
        if (next_lit) {
            k = line.find(*next_lit, k);
            if (k == std::string_view::npos) return false;
        }
        if (k > line.size()) return false;
        if (is_host(t.escape) && line.substr(pos, k - pos).find(' ') != std::string_view::npos) return false;
        sp.spans[ti] = line.substr(pos, k - pos);
        if (match_from(ti + 1, line, k, sp, msg)) return true;
        ++k;
        if (k - pos > 256) return false;  // no prefix field is that long
    }
}

// The first reading match_from would find, when it is the one that takes every
// token's first choice (each free-text field up to the next literal's first
// occurrence, every %q part present): one pass, no recursion and no allocation.
// That is every line of a log written with the prefix. A line that fails before
// any choice was made (a continuation line, a line of another format) fails the
// search too: NoMatch. One that fails after a choice (a field holding its next
// literal, a background process after %q) is Unsure, and match_from searches as
// before. Prefix matching is the reader's main work (issue 17).
LinePrefix::FirstChoices LinePrefix::match_first_choices(std::string_view line, std::string_view* spans,
                                                         std::string_view& severity, std::size_t& msg) const {
    std::size_t pos = 0;
    bool chose = false;  // a free-text field was cut, or a %q part taken as present
    const auto failed = [&] { return chose ? FirstChoices::Unsure : FirstChoices::NoMatch; };
    for (std::size_t ti = 0; ti < tokens_.size(); ++ti) {
        const Token& t = tokens_[ti];
        if (t.after_q && (ti == 0 || !tokens_[ti - 1].after_q)) chose = true;
        if (t.escape == 0) {
            if (line.substr(pos, t.literal.size()) != t.literal) return failed();
            pos += t.literal.size();
            continue;
        }
        const std::size_t field = ti;
        std::size_t end = pos;
        std::size_t next = pos;  // where the next token is read
        if (!t.free_text) {
            auto n = fixed_value_len(t.escape, line, pos);
            if (!n) return failed();
            end = next = pos + *n;
        } else {
            if (ti + 1 < tokens_.size() && tokens_[ti + 1].escape == 0) {
                const std::string& literal = tokens_[ti + 1].literal;
                end = line.find(literal, pos);
                if (end == std::string_view::npos) return failed();
                if (is_host(t.escape) && line.substr(pos, end - pos).find(' ') != std::string_view::npos)
                    return failed();
                // The find matched the next literal: it is not compared again.
                next = end + literal.size();
                ++ti;
            }
            chose = true;
        }
        spans[field] = line.substr(pos, end - pos);
        pos = next;
    }
    return severity_at(line, pos, severity, msg) ? FirstChoices::Matched : failed();
}

namespace {
// Strings are assigned, not made anew: an entry read into again keeps its buffers. Most lines
// repeat the database, application and often the user of the entry read into before: comparing
// costs less than assigning (issue 17).
void assign_changed(std::string& field, std::string_view v) {
    if (field != v) field.assign(v);
}
}  // namespace

void LinePrefix::set_field(char escape, std::string_view v, LogEntry& e) {
    // The prefix prints "[unknown]" where csvlog and jsonlog leave the field empty.
    if (v == "[unknown]") v = {};
    switch (escape) {
        case 'a': assign_changed(e.application, v); break;
        case 'u': assign_changed(e.user, v); break;
        case 'd': assign_changed(e.database, v); break;
        case 'p': e.pid = to_ll(v); break;
        case 't':
        case 'm':
        case 'n':
            // Lines come many to a timestamp (to the second with %t): parsed once.
            if (v != e.timestamp) {
                e.timestamp.assign(v);
                e.epoch_ms = parse_timestamp_ms(v);
            }
            break;
        case 'c': assign_changed(e.session_id, v); break;
        case 'v': assign_changed(e.vxid, v); break;
        case 'x': e.xid = to_ll(v); break;
        case 'e': assign_changed(e.sqlstate, v); break;
        case 'Q': e.query_id = to_ll(v); break;
        default: break;
    }
}

void LinePrefix::fill_fields(const std::string_view* spans, std::string_view severity, LogEntry& e,
                             std::size_t* free_text_chars) const {
    // The fields of escapes this prefix lacks are emptied: an entry is read into line after
    // line. The others set_field writes below, comparing with what they hold (the timestamp too).
    const auto clear_unless = [&](char escape, std::string& field) {
        if (!has_escape(escape)) field.clear();
    };
    clear_unless('u', e.user);
    clear_unless('d', e.database);
    clear_unless('a', e.application);
    clear_unless('c', e.session_id);
    clear_unless('v', e.vxid);
    clear_unless('e', e.sqlstate);
    e.pid = e.xid = e.query_id = 0;
    if (!has_escape('t') && !has_escape('m') && !has_escape('n')) {
        e.timestamp.clear();
        e.epoch_ms = 0;
    }
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        if (!tokens_[i].escape) continue;
        set_field(tokens_[i].escape, spans[i], e);
        if (free_text_chars && tokens_[i].free_text) *free_text_chars += spans[i].size();
    }
    e.severity.assign(severity);
}

std::optional<std::size_t> LinePrefix::match(std::string_view line, LogEntry& e, std::size_t* free_text_chars) const {
    std::size_t msg = 0;
    if (tokens_.size() <= kMaxFirstChoiceTokens) {
        FirstChoiceSpans spans;
        std::string_view severity;
        switch (match_first_choices(line, spans.at, severity, msg)) {
            case FirstChoices::Matched: fill_fields(spans.at, severity, e, free_text_chars); return msg;
            case FirstChoices::NoMatch: return std::nullopt;
            case FirstChoices::Unsure: break;
        }
    }
    Spans sp;
    sp.spans.assign(tokens_.size(), std::string_view{});
    if (!match_from(0, line, 0, sp, msg)) return std::nullopt;
    fill_fields(sp.spans.data(), sp.severity, e, free_text_chars);
    return msg;
}

// A match found while readings() enumerates: kept when its message starts where no
// earlier one did, or when it fits the name limits and the earlier one there did
// not. Returns true (stop) once kMaxReadings are kept.
bool LinePrefix::collect(const Spans& sp, std::size_t msg) const {
    bool fit = true;
    for (std::size_t i = 0; i < tokens_.size(); ++i)
        if (std::string_view("aud").find(tokens_[i].escape) != std::string_view::npos && tokens_[i].escape &&
            sp.spans[i].size() > kMaxNameBytes)
            fit = false;
    auto& all = *sp.all;
    auto same = std::find_if(all.begin(), all.end(), [&](const Reading& r) { return r.message_start == msg; });
    if (same != all.end() && (same->names_fit || !fit)) return false;
    Reading r;
    fill_fields(sp.spans.data(), sp.severity, r.fields, nullptr);
    r.message_start = msg;
    r.names_fit = fit;
    if (same != all.end()) *same = std::move(r);
    else all.push_back(std::move(r));
    return all.size() >= kMaxReadings;
}

std::vector<LinePrefix::Reading> LinePrefix::readings(std::string_view line) const {
    std::vector<Reading> all;
    std::size_t msg = 0;
    Spans sp;
    sp.spans.assign(tokens_.size(), std::string_view{});
    sp.all = &all;
    match_from(0, line, 0, sp, msg);
    std::sort(all.begin(), all.end(),
              [](const Reading& a, const Reading& b) { return a.message_start < b.message_start; });
    return all;
}

bool LinePrefix::has_client_text() const {
    return std::any_of(tokens_.begin(), tokens_.end(),
                       [](const Token& t) { return t.escape == 'a' || t.escape == 'u' || t.escape == 'd'; });
}

namespace {

// Known prefixes: PostgreSQL's default, pgBadger's documented examples, the
// cloud providers' fixed ones and the ones found in pgBadger's fixtures.
const char* const kCommonPrefixes[] = {
    "%m [%p] ",
    "%t [%p] ",
    "%m [%p]: ",
    "%t [%p]: ",
    "%t [%p]: [%l-1] ",
    "%m [%p]: [%l-1] ",
    "%t [%p]: [%l-1] user=%u,db=%d ",
    "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
    "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
    "%t [%p]: user=%u,db=%d,app=%a,client=%h ",
    "%t [%p]: db=%d,user=%u,app=%a,client=%h ",
    "%t [%p]: [%l-1] db=%d,user=%u,app=%a,client=%h ",
    "%t [%p]: [%l-1] user=%u,db=%d,host=%h,app=%a ",
    "%t [%p]: [%l-1] [%x] usr=%u,db=%d,appli=%a ",
    "%m [%p] user=%u,db=%d ",
    "%m [%p] %q%u@%d ",
    "%m [%p] [queryid=%Q] %q%u@%d ",
    "%m [%p] %q[user=%u,db=%d,app=%a] ",
    "%t:%r:%u@%d:[%p]:",
    "%t:%h:%u@%d:[%p]:",
    "%m [%p] %c %l %v %x user=%u,db=%d,app=%a,client=%h ",
    "%m [%p] %c %x %v user=%u,db=%d,app=%a,client=%h ",
    "[%p]: [%l-1] db=%d,user=%u ",
    "db=%d,user=%u,app=%a,client=%h ",
    "user=%u,db=%d,app=%a,client=%h ",
    "%m %u %d [%p] ",
    "%m %u %d [%p]: ",
    "%t %u %d [%p] ",
    "%m [%p] %u@%d ",
    "%m [%p-%l] %q%u@%d ",
    "%m [%p-%l] ",
    "%t [%p-%l] %q%u@%d ",
    "sql_error_code = %e ",
};

// A prefix guessed from one line: its text before the severity word with the
// recognisable values replaced by escapes.
std::string infer_prefix(std::string_view line) {
    std::string_view sev;
    std::size_t msg = 0;
    std::size_t at = find_severity(line, sev, msg);
    if (at == std::string_view::npos) return {};
    std::string_view p = line.substr(0, at);
    std::string out;
    std::size_t i = 0;
    bool have_pid = false;
    static const std::map<std::string_view, const char*> keys = {
        {"user", "%u"},   {"usr", "%u"},     {"db", "%d"},          {"database", "%d"}, {"dbname", "%d"},
        {"app", "%a"},    {"appli", "%a"},   {"application", "%a"}, {"client", "%h"},   {"host", "%h"},
        {"remote", "%r"}, {"queryid", "%Q"}, {"xid", "%x"},         {"vxid", "%v"},     {"session", "%c"},
        {"pid", "%p"},    {"line", "%l"}};
    while (i < p.size()) {
        if (std::size_t n = timestamp_len(p, i, true)) {
            out += "%m";
            i += n;
            continue;
        }
        if (std::size_t n = timestamp_len(p, i, false)) {
            out += "%t";
            i += n;
            continue;
        }
        if (p[i] == '[' && i + 1 < p.size() && is_digit(p[i + 1])) {
            std::size_t j = i + 1;
            while (j < p.size() && is_digit(p[j])) ++j;
            if (j < p.size() && p[j] == ']') {
                out += have_pid ? "[%l]" : "[%p]";
                have_pid = true;
                i = j + 1;
                continue;
            }
            if (j + 2 < p.size() && p[j] == '-' && is_digit(p[j + 1])) {
                std::size_t k = j + 1;
                while (k < p.size() && is_digit(p[k])) ++k;
                if (k < p.size() && p[k] == ']') {
                    out += "[%l" + std::string(p.substr(j, k - j)) + "]";
                    i = k + 1;
                    continue;
                }
            }
        }
        // "user@db" (with an empty side for background processes) is %u@%d.
        if (i == 0 || p[i - 1] == ' ' || p[i - 1] == ':' || p[i - 1] == ']') {
            std::size_t j = i;
            auto ident = [](char ch) {
                return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.' ||
                       ch == '[' || ch == ']';
            };
            while (j < p.size() && ident(p[j]) && p[j] != '@') ++j;
            if (j < p.size() && p[j] == '@') {
                std::size_t k = j + 1;
                while (k < p.size() && ident(p[k])) ++k;
                if (k == p.size() || p[k] == ' ' || p[k] == ':') {
                    out += "%u@%d";
                    i = k;
                    continue;
                }
            }
        }
        std::size_t eq = p.find('=', i);
        if (eq != std::string_view::npos && eq > i) {
            std::size_t ks = eq;
            while (ks > i && std::isalpha(static_cast<unsigned char>(p[ks - 1]))) --ks;
            if (ks == i) {
                auto it = keys.find(p.substr(i, eq - i));
                if (it != keys.end()) {
                    out += std::string(p.substr(i, eq - i + 1)) + it->second;
                    std::size_t v = eq + 1;
                    if (v < p.size() && p[v] == '[') {  // "[local]", "[unknown]"
                        std::size_t c = p.find(']', v);
                        v = c == std::string_view::npos ? p.size() : c + 1;
                    }
                    while (v < p.size() && p[v] != ',' && p[v] != ' ' && p[v] != ']') ++v;
                    i = v;
                    continue;
                }
            }
        }
        if (p[i] == '%') out += '%';
        out += p[i++];
    }
    return out;
}

}  // namespace

std::optional<std::string> detect_prefix(const std::vector<std::string>& sample) {
    // Known prefixes first: on a tie they win over an inferred one (which
    // cannot tell %x from %l in "[0]").
    std::vector<std::string> candidates(std::begin(kCommonPrefixes), std::end(kCommonPrefixes));
    // No prefix at all: syslog's own header carries the time and pid, so log_line_prefix = '' is common there.
    candidates.emplace_back();
    std::map<std::string, int> inferred_count;
    for (const auto& l : sample) {
        std::string inferred = infer_prefix(l);
        if (!inferred.empty()) ++inferred_count[inferred];
    }
    for (const auto& [text, n] : inferred_count) candidates.push_back(text);
    // Most lines matched wins; then the prefix whose free-text fields (%u, %a, ...)
    // swallowed the fewest bytes (it explains more of each line); then more
    // escapes before %q; then fewer escapes in all.
    std::string best;
    int best_score = 0;
    std::size_t best_free = 0, best_fixed = 0, best_total = 0;
    for (const auto& text : candidates) {
        LinePrefix lp = LinePrefix::compile(text);
        int s = 0;
        std::size_t free_chars = 0;
        for (const auto& l : sample) {
            LogEntry e;
            if (lp.match(l, e, &free_chars)) ++s;
        }
        std::size_t fixed = 0, total = 0;
        bool after_q = false;
        for (std::size_t k = 0; k + 1 < text.size(); ++k) {
            if (text[k] != '%') continue;
            if (text[k + 1] == 'q') after_q = true;
            else if (text[k + 1] != '%') {
                ++total;
                if (!after_q) ++fixed;
            }
            ++k;
        }
        bool better = s > best_score;
        if (s == best_score && s > 0) {
            if (free_chars != best_free) better = free_chars < best_free;
            else if (fixed != best_fixed) better = fixed > best_fixed;
            else better = total < best_total;
        }
        if (better) {
            best = text;
            best_score = s;
            best_free = free_chars;
            best_fixed = fixed;
            best_total = total;
        }
    }
    if (best_score == 0) return std::nullopt;
    return best;
}

}  // namespace pgadvisor::ingest
