#include "ingest/assembler.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "ingest/explain.hpp"

namespace pgadvisor::ingest {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
void skip_spaces(std::string_view& s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

// A number at the start of s as std::from_chars reads it; where it ends, or null. The
// server writes "12.345": its digits as an integer, divided once by a power of ten. Both
// are exact doubles (15 digits at most), so IEEE division rounds the quotient correctly,
// as from_chars does; every other form goes to from_chars (its double parsing was a
// third of the duration's reading on the reader thread, issue 17).
const char* read_number(std::string_view s, double& value) {
    static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                              1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    std::uint64_t digits = 0;
    std::size_t i = 0, count = 0, decimals = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++count) digits = digits * 10 + (s[i] - '0');
    if (i < s.size() && s[i] == '.')
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++count, ++decimals)
            digits = digits * 10 + (s[i] - '0');
    const bool exponent = i < s.size() && (s[i] == 'e' || s[i] == 'E');
    if (count == 0 || count > 15 || exponent) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        return ec == std::errc() ? p : nullptr;
    }
    value = static_cast<double>(digits) / kPowersOfTen[decimals];
    return s.data() + i;
}

// "duration: 12.5 ms" at the start of a message; the rest after it.
bool take_duration(std::string_view& s, double& ms) {
    if (!starts_with(s, "duration:")) return false;
    std::string_view r = s.substr(9);
    skip_spaces(r);
    const char* p = read_number(r, ms);
    if (!p) return false;
    r.remove_prefix(static_cast<std::size_t>(p - r.data()));
    skip_spaces(r);
    if (!starts_with(r, "ms")) return false;
    r.remove_prefix(2);
    skip_spaces(r);
    s = r;
    return true;
}

enum class Kind { None, Statement, Execute, ParseBind, Plan };

// What follows the optional duration: "statement: X", "execute S_1: X", "plan:...".
Kind classify(std::string_view& s, std::string& name) {
    if (starts_with(s, "statement:")) {
        s.remove_prefix(10);
        if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        return Kind::Statement;
    }
    if (starts_with(s, "plan:")) {
        s.remove_prefix(5);
        return Kind::Plan;
    }
    for (std::string_view verb : {"execute ", "parse ", "bind "}) {
        if (!starts_with(s, verb)) continue;
        std::string_view r = s.substr(verb.size());
        // The name ends at ": " (names are identifiers, "<unnamed>", "S_1/C_2", "fetch from S_1/C_2").
        std::size_t colon = r.find(": ");
        if (colon == std::string_view::npos) {
            colon = r.find(':');
            if (colon == std::string_view::npos || colon + 1 != r.size()) return Kind::None;
        }
        name = std::string(r.substr(0, colon));
        s = r.substr(std::min(r.size(), colon + 2));
        return verb == "execute " ? Kind::Execute : Kind::ParseBind;
    }
    return Kind::None;
}

// "duration: 12.345 ms" exactly as the server prints it: digits, a dot, three digits.
bool strict_duration(std::string_view s) {
    s.remove_prefix(std::min(s.size(), std::string_view("duration: ").size()));
    std::size_t digits = 0;
    while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
    if (digits == 0 || s.substr(digits, 1) != ".") return false;
    s.remove_prefix(digits + 1);
    return s.size() >= 6 && std::isdigit(static_cast<unsigned char>(s[0])) &&
           std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[2])) &&
           s.substr(3, 3) == " ms";
}

// Openings of LOG messages other than statements that a server writes often.
constexpr std::string_view kCommonLogOpenings[] = {"connection received: ",
                                                   "connection authorized: ",
                                                   "connection authenticated: ",
                                                   "replication connection authorized: ",
                                                   "disconnection: ",
                                                   "checkpoint starting: ",
                                                   "checkpoint complete: ",
                                                   "restartpoint starting: ",
                                                   "restartpoint complete: ",
                                                   "automatic vacuum of table ",
                                                   "automatic analyze of table ",
                                                   "temporary file: ",
                                                   "process ",
                                                   "could not receive data from client: ",
                                                   "could not send data to client: ",
                                                   "unexpected EOF on client connection",
                                                   "terminating ",
                                                   "database system ",
                                                   "listening on ",
                                                   "starting PostgreSQL ",
                                                   "received ",
                                                   "parameter \"",
                                                   "background worker ",
                                                   "server process ",
                                                   "redo ",
                                                   "fastpath function call: ",
                                                   "logical decoding ",
                                                   "starting logical decoding ",
                                                   "logical replication ",
                                                   "skipping ",
                                                   "statistics "};

}  // namespace

MessageForm message_form(std::string_view severity, std::string_view message) {
    if (severity != "LOG") return MessageForm::Other;
    std::string_view rest = message;
    double ms = 0;
    bool timed = take_duration(rest, ms);
    if (starts_with(message, "duration:") && (!timed || !strict_duration(message))) return MessageForm::Malformed;
    std::string name;
    if (classify(rest, name) != Kind::None) return MessageForm::Known;
    if (timed) return rest.empty() ? MessageForm::Known : MessageForm::Malformed;  // log_duration's bare line
    for (std::string_view opening : kCommonLogOpenings)
        if (starts_with(message, opening)) return MessageForm::Known;
    for (std::string_view verb : {"statement:", "execute ", "parse ", "bind ", "plan:"})
        if (starts_with(message, verb)) return MessageForm::Malformed;
    return MessageForm::Other;
}

bool parse_parameters(std::string_view d, std::vector<BindParameter>& out) {
    if (!starts_with(d, "parameters:")) return false;
    d.remove_prefix(11);
    for (;;) {
        skip_spaces(d);
        if (d.empty()) return true;
        if (d.front() != '$') return false;
        d.remove_prefix(1);
        int n = 0;
        auto [p, ec] = std::from_chars(d.data(), d.data() + d.size(), n);
        if (ec != std::errc()) return false;
        d.remove_prefix(static_cast<std::size_t>(p - d.data()));
        skip_spaces(d);
        if (!starts_with(d, "=")) return false;
        d.remove_prefix(1);
        skip_spaces(d);
        BindParameter bp;
        bp.number = n;
        if (starts_with(d, "NULL")) {
            d.remove_prefix(4);
        } else if (starts_with(d, "'")) {
            // Up to the first quote not doubled; copied a run between quotes at a time, not a
            // byte at a time (an ORM's IN list logs a hundred values a statement, issue 17).
            std::string v;
            for (std::size_t from = 1;;) {
                const std::size_t quote = d.find('\'', from);
                if (quote == std::string_view::npos) return false;  // unterminated quote
                v.append(d.data() + from, quote - from);
                if (quote + 1 < d.size() && d[quote + 1] == '\'') {  // '' is a quote in the value
                    v += '\'';
                    from = quote + 2;
                    continue;
                }
                d.remove_prefix(quote + 1);
                break;
            }
            bp.value = std::move(v);
        } else {
            return false;
        }
        out.push_back(std::move(bp));
        skip_spaces(d);
        if (starts_with(d, ",")) d.remove_prefix(1);
    }
}

// The log's session id (%c, csvlog's and jsonlog's session_id), else one made of the pid.
void Assembler::read_session_id(const LogEntry& e) {
    if (!e.session_id.empty() || !e.pid) {
        entry_session_.assign(e.session_id);
        return;
    }
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, e.pid).ptr;
    entry_session_.assign("pid:");
    entry_session_.append(digits, end);
}

Statement Assembler::from_entry(const LogEntry& e) const {
    Statement s;
    s.source.file = e.file;
    s.source.first_line = e.first_line;
    s.source.last_line = e.last_line;
    s.timestamp.assign(e.timestamp);
    s.epoch_ms = e.epoch_ms;
    s.pid = e.pid;
    s.session_id = entry_session_;
    s.vxid = e.vxid;
    s.xid = e.xid;
    s.user = e.user;
    s.database = e.database;
    s.application = e.application;
    s.query_id = e.query_id;
    return s;
}

void Assembler::emit(Statement&& s) {
    // An empty query string (psql's "" or a driver's ping) is logged with a duration: it is a record too.
    sink_(std::move(s));
}

void Assembler::flush_pid(Pending& p) {
    if (p.completed) emit(std::move(*p.completed));
    p.completed.reset();
    if (p.plan_statement) emit(std::move(*p.plan_statement));
    p.plan_statement.reset();
    if (p.statement) emit(std::move(*p.statement));
    p.statement.reset();
}

void Assembler::flush() {
    for (auto& [pid, p] : pending_) flush_pid(p);
    pending_.clear();
}

// A session is over when its backend says so ("disconnection:"), when its pid
// begins another session ("connection received:", or another %c session id: a
// pid runs one backend at a time), or when it has been quiet longer than any
// rule looks back (SessionTracking::idle_ms; a later record then begins a new
// session, as the rules would not join it to the earlier ones anyway).
Assembler::Pending* Assembler::track_session(const LogEntry& e) {
    const double now = e.epoch_ms;
    end_idle_sessions(now);
    const bool is_log = e.severity == "LOG";
    const bool begins = is_log && starts_with(e.message, "connection received: ");
    const bool ends = is_log && starts_with(e.message, "disconnection: ");
    const std::string& id = entry_session_;
    auto it = pending_.find(e.pid);
    if (it != pending_.end()) {
        if (begins || ends || quiet(it->second, now) || it->second.session_id != id) {
            end_session(it, now);
            it = pending_.end();
        }
    } else if (ends && sessions_.sink) {
        // Its statements came before this file began (a rotated log): later stages may hold them.
        sessions_.sink(SessionEnd{e.pid, id, now});
    }
    if (begins || ends) return nullptr;
    if (it == pending_.end()) {
        it = pending_.emplace(e.pid, Pending{}).first;
        it->second.session_id = id;
    }
    if (now > 0) it->second.last_ms = now;
    return &it->second;
}

// No record for longer than idle_ms, and no statement still running: a statement
// logged by log_statement waits for its log_duration line however long it runs.
bool Assembler::quiet(const Pending& p, double now) const {
    return sessions_.idle_ms > 0 && now > 0 && p.last_ms > 0 && !p.statement && now - p.last_ms > sessions_.idle_ms;
}

// Sessions quiet for longer than idle_ms, checked a few times per idle_ms of log time.
void Assembler::end_idle_sessions(double now) {
    if (sessions_.idle_ms <= 0 || now <= 0 || now - last_idle_check_ms_ < sessions_.idle_ms / 4) return;
    last_idle_check_ms_ = now;
    for (auto it = pending_.begin(); it != pending_.end();) {
        const auto next = std::next(it);
        if (quiet(it->second, now)) end_session(it, now);
        it = next;
    }
}

// The session's held records go out first, then its end.
void Assembler::end_session(PendingMap::iterator it, double now) {
    flush_pid(it->second);
    SessionEnd end{it->first, std::move(it->second.session_id), now};
    pending_.erase(it);
    if (sessions_.sink) sessions_.sink(end);
}

void Assembler::add(const LogEntry& e) {
    read_session_id(e);
    Pending* tracked = nullptr;
    if (sessions_.enabled && e.pid != 0) {
        tracked = track_session(e);
        if (!tracked) return;
    }
    Pending& p = tracked ? *tracked : pending_[e.pid];
    std::string_view msg = e.message;
    double ms = 0;
    const bool has_duration = take_duration(msg, ms);
    const std::optional<double> duration = has_duration ? std::optional<double>(ms) : std::nullopt;
    std::string name;
    const Kind kind = classify(msg, name);
    const bool is_error = e.severity == "ERROR" || e.severity == "FATAL" || e.severity == "PANIC";
    // The statement held back for a plan that follows it (after the next statement's
    // parse/bind lines, when the unnamed portal is dropped): records come after it.
    const bool is_record = kind == Kind::Statement || kind == Kind::Execute || (has_duration && msg.empty()) ||
                           is_error;
    if (p.completed && is_record) {
        emit(std::move(*p.completed));
        p.completed.reset();
    }

    if (has_duration && kind == Kind::None && msg.empty()) complete_logged(p, e, ms);
    else if (is_error) add_error(p, e);
    else if (kind == Kind::Plan) add_plan(p, e, msg, duration);
    else if (kind == Kind::Statement || kind == Kind::Execute)
        add_statement(p, e, msg, kind == Kind::Execute ? &name : nullptr, duration);
    // parse/bind lines and every other message are not statements.
}

// log_duration: a bare "duration: X ms" completes the statement logged just before.
void Assembler::complete_logged(Pending& p, const LogEntry& e, double ms) {
    if (!p.statement) return;
    p.statement->duration_ms = ms;
    p.statement->source.last_line = e.last_line;
    emit(std::move(*p.statement));
    p.statement.reset();
}

// ERROR/FATAL/PANIC with its STATEMENT: a failed statement record.
void Assembler::add_error(Pending& p, const LogEntry& e) {
    if (e.statement.empty()) return;
    // With log_statement = all the failed statement was logged already: mark it.
    if (p.statement && p.statement->text == e.statement) {
        p.statement->severity = e.severity;
        p.statement->error_message = e.message;
        p.statement->sqlstate = e.sqlstate;
        emit(std::move(*p.statement));
        p.statement.reset();
        return;
    }
    flush_pid(p);
    Statement s = from_entry(e);
    s.text = e.statement;
    s.severity = e.severity;
    s.error_message = e.message;
    s.sqlstate = e.sqlstate;
    emit(std::move(s));
}

// An auto_explain plan: it completes the statement just executed (extended
// protocol: execute, then plan), or it waits for its statement's line.
void Assembler::add_plan(Pending& p, const LogEntry& e, std::string_view body, std::optional<double> duration) {
    auto parsed = parse_explain(body);
    if (p.completed && !p.completed->plan && parsed.errors.empty() && !parsed.plans.empty() &&
        parsed.plans.front().query_text == p.completed->text) {
        p.completed->plan = std::make_shared<const Plan>(std::move(parsed.plans.front()));
        emit(std::move(*p.completed));
        p.completed.reset();
        return;
    }
    flush_pid(p);
    Statement s = from_entry(e);
    if (duration) s.duration_ms = *duration;
    if (!parsed.errors.empty() || parsed.plans.empty()) {
        issues_.add(issue::kBadPlan, s.source.file, e.first_line,
                    parsed.errors.empty() ? "auto_explain plan without plan nodes" : parsed.errors.front());
        return;
    }
    s.text = parsed.plans.front().query_text;
    s.plan = std::make_shared<const Plan>(std::move(parsed.plans.front()));
    p.plan_statement = std::move(s);
}

// "statement: X" or "execute NAME: X" (prepared_name set), with or without a
// duration: joined with the plan or the log_statement line of the same text.
void Assembler::add_statement(Pending& p, const LogEntry& e, std::string_view text, const std::string* prepared_name,
                              std::optional<double> duration) {
    Statement s = from_entry(e);
    s.text = std::string(text);
    if (prepared_name) {
        s.prepared_name = *prepared_name;
        if (!e.detail.empty() && !parse_parameters(e.detail, s.parameters) && starts_with(e.detail, "parameters:"))
            issues_.add(issue::kTruncated, s.source.file, e.first_line, "unreadable bind parameters");
    }
    // An auto_explain plan for this very statement came just before it.
    if (p.plan_statement) {
        if (p.plan_statement->text == s.text) s.plan = std::move(p.plan_statement->plan);
        else emit(std::move(*p.plan_statement));
        p.plan_statement.reset();
    }
    if (p.statement) {
        // log_statement and log_min_duration_statement both on: the
        // duration line repeats the statement; keep one record.
        if (duration && p.statement->text == s.text) s.source.first_line = p.statement->source.first_line;
        else emit(std::move(*p.statement));
        p.statement.reset();
    }
    if (!duration) {
        p.statement = std::move(s);
        return;
    }
    s.duration_ms = *duration;
    // Only an execute's plan can follow it (auto_explain logs it when the portal is dropped, at the
    // session's next message); a simple query's comes before its duration line. Held no longer
    // than that: a statement held until its session's next line is passed on after later
    // statements of other sessions, and a rule joining sessions (a request's on a pool) saw them
    // out of order.
    if (s.plan || !prepared_name) emit(std::move(s));
    else p.completed = std::move(s);
}

}  // namespace pgadvisor::ingest
