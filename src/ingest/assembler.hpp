#pragma once
// LogEntry stream -> Statement stream. Knows what PostgreSQL's messages mean:
// "duration: X ms  statement: ...", log_statement lines and the log_duration
// lines that come separately, extended protocol (parse/bind/execute, with
// "parameters:" in DETAIL), ERROR + STATEMENT, auto_explain plans (text or
// JSON), which arrive before their statement's own duration line. With
// SessionTracking on, it also tells when a session is over (disconnection, its
// pid reused, quiet too long) and then frees what it held for it.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ingest/issues.hpp"
#include "ingest/log_entry.hpp"
#include "ingest/record.hpp"

namespace pgadvisor::ingest {

using StatementSink = std::function<void(Statement&&)>;

class Assembler {
public:
    Assembler(StatementSink sink, Issues& issues, SessionTracking sessions = {})
        : sink_(std::move(sink)), issues_(issues), sessions_(std::move(sessions)) {}
    void add(const LogEntry& e);
    // Emit whatever is still waiting (end of input). Sessions are not ended:
    // a rotated log goes on in the next file.
    void flush();
    // Backends (pids) the assembler holds state for: what memory follows.
    std::size_t open_sessions() const { return pending_.size(); }

private:
    struct Pending {
        std::optional<Statement> statement;       // waiting for a log_duration line
        std::optional<Statement> plan_statement;  // an auto_explain plan waiting for its statement
        // An execute with its duration, held until the pid's next record: with the extended
        // protocol auto_explain logs the plan after the execute line. A simple query's plan
        // comes before it, so it is passed on at once.
        std::optional<Statement> completed;
        std::string session_id;  // the session these records belong to (Statement::session_id)
        double last_ms = 0;      // log time of the pid's latest record
    };
    using PendingMap = std::map<long long, Pending>;
    // Session lifetime (issue 16): end what is over before `e` is read. The pid's
    // state, or null when `e` only told of a session's end or start (nothing more to read).
    Pending* track_session(const LogEntry& e);
    bool quiet(const Pending& p, double now) const;
    void end_idle_sessions(double now);
    void end_session(PendingMap::iterator it, double now);
    // Statement::session_id of `e` into entry_session_ (once per entry, its buffer reused).
    void read_session_id(const LogEntry& e);

    // add()'s steps, one per kind of message.
    void complete_logged(Pending& p, const LogEntry& e, double ms);
    void add_error(Pending& p, const LogEntry& e);
    void add_plan(Pending& p, const LogEntry& e, std::string_view body, std::optional<double> duration);
    void add_statement(Pending& p, const LogEntry& e, std::string_view text, const std::string* prepared_name,
                       std::optional<double> duration);
    void emit(Statement&& s);
    void flush_pid(Pending& p);
    Statement from_entry(const LogEntry& e) const;

    StatementSink sink_;
    Issues& issues_;
    PendingMap pending_;
    SessionTracking sessions_;
    double last_idle_check_ms_ = 0;
    std::string entry_session_;  // the session id of the entry being added (read_session_id)
};

// How much a message looks like one PostgreSQL writes, for choosing between two
// readings of a stderr line (readers.cpp). Known: a statement message in the
// server's exact form ("duration: 1.234 ms  statement: ...", three decimals) or a
// common LOG message (connections, checkpoints, autovacuum...). Malformed: starts
// like a statement message but is not one ("duration: 9999 ms"). Other: the rest.
enum class MessageForm { Malformed, Other, Known };
MessageForm message_form(std::string_view severity, std::string_view message);

// "$1 = '42', $2 = NULL" -> parameters; false when the text is malformed.
bool parse_parameters(std::string_view detail, std::vector<BindParameter>& out);

}  // namespace pgadvisor::ingest
