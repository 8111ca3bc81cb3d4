#pragma once
// One server log message, format-independent: what a stderr line (plus its
// DETAIL/HINT/CONTEXT/STATEMENT lines), a csvlog row or a jsonlog object says.
// The assembler (assembler.hpp) turns a stream of these into Statements, so
// stderr, csvlog and jsonlog give the same records.

#include <string>

#include "ingest/source_location.hpp"

namespace pgadvisor::ingest {

struct LogEntry {
    FileName file;
    long first_line = 0, last_line = 0;
    std::string timestamp;
    double epoch_ms = 0;
    long long pid = 0;
    std::string session_id;
    std::string vxid;
    long long xid = 0;
    std::string user, database, application;
    std::string severity;  // LOG, ERROR, FATAL, ...
    std::string sqlstate;
    std::string message;
    std::string detail;
    std::string hint;
    std::string context;
    std::string statement;  // the STATEMENT: line / csv "query" / json "statement"
    long long query_id = 0;
};

// "2024-06-27 00:00:07.369 CEST" -> ms since 1970, zone abbreviations read as
// UTC and numeric offsets applied; 0 when it is not a timestamp. Also accepts
// ISO 8601 with 'T' and a trailing Z/offset, and epoch seconds ("%n").
double parse_timestamp_ms(std::string_view ts);

bool is_severity(std::string_view word);
// A secondary line of a message (DETAIL, HINT, CONTEXT, STATEMENT, QUERY, LOCATION).
bool is_secondary_label(std::string_view word);

}  // namespace pgadvisor::ingest
