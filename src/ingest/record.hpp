#pragma once
// The ingest stage's output: one Statement record per statement PostgreSQL ran
// (or that a .sql file / pg_stat_statements export lists). Plain data; the
// readers fill what their format carries and leave the rest empty.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/plan.hpp"
#include "ingest/source_location.hpp"

namespace pgadvisor::ingest {

struct BindParameter {
    int number = 0;                    // $n
    std::optional<std::string> value;  // nullopt for NULL
};

// A timestamp as logged, kept inline: every statement carries one, and a std::string of it
// (longer than a string's 15 inline bytes) was an allocation per statement, freed on another
// thread (issue 17). PostgreSQL's forms and the cloud logs' are about 30 bytes; a longer
// text keeps its first kCapacity bytes (Statement::epoch_ms is read off the whole text).
class LoggedTime {
public:
    static constexpr std::size_t kCapacity = 39;
    LoggedTime() = default;
    LoggedTime(std::string_view text) { assign(text); }  // implicit: a text as logged is one
    void assign(std::string_view text) {
        size_ = static_cast<std::uint8_t>(std::min(text.size(), kCapacity));
        if (size_ > 0) std::memcpy(text_.data(), text.data(), size_);  // an empty view's data may be null
    }
    std::string_view view() const { return {text_.data(), size_}; }
    bool empty() const { return size_ == 0; }
    friend bool operator==(const LoggedTime& a, std::string_view b) { return a.view() == b; }

private:
    std::array<char, kCapacity> text_{};
    std::uint8_t size_ = 0;
};

struct Statement {
    SourceLocation source;
    LoggedTime timestamp;  // as logged
    double epoch_ms = 0;   // timestamp as ms since 1970 (0 when unknown); zone abbreviations are read as UTC
    long long pid = 0;
    std::string session_id;  // %c / session_id; derived from pid when absent
    std::string vxid;        // virtual transaction id
    long long xid = 0;       // real transaction id (0 when none)
    std::string user, database, application;
    std::optional<double> duration_ms;
    std::string text;           // the statement as logged
    std::string prepared_name;  // extended protocol: the statement name after execute
    std::vector<BindParameter> parameters;
    std::string severity;  // empty for a statement that ran; "ERROR"/"FATAL" for failures
    std::string error_message;
    std::string sqlstate;
    long long query_id = 0;
    long long calls = 1;               // pg_stat_statements rows stand for many calls
    std::shared_ptr<const Plan> plan;  // auto_explain plan, or a standalone EXPLAIN
};

// A session that is over (issue 16): its backend disconnected, its pid began
// another session, or it was quiet longer than any rule looks back. Sent after
// the session's last Statement, so later stages can free what they keep for it;
// a later record with the same session_id begins a new session.
struct SessionEnd {
    long long pid = 0;
    std::string session_id;  // as Statement::session_id
    double epoch_ms = 0;     // log time of the record that told (0 when unknown)
};
using SessionEndSink = std::function<void(const SessionEnd&)>;

// Whether and how the log's sessions are closed before the end of input, so that
// memory follows the sessions open at once. Off: every session's state is kept
// to the end of input, as the stages did before issue 16 (and tests compare).
struct SessionTracking {
    bool enabled = false;
    // A session whose last record is this much older (log time, log order
    // assumed) than the newest record is over; 0: only disconnections and pid reuse end it.
    double idle_ms = 0;
    SessionEndSink sink;  // told of each end; may be empty
};

}  // namespace pgadvisor::ingest
