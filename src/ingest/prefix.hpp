#pragma once
// log_line_prefix: compiled from its escapes (%a %u %d %r %h %b %p %P %t %m
// %n %i %e %c %l %s %v %x %q %Q %%), matched against a stderr line to fill a
// LogEntry's fields, and detected from a log's first lines when not given.

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/log_entry.hpp"

namespace pgadvisor::ingest {

class LinePrefix {
public:
    // Unknown escapes are kept as literal text (PostgreSQL ignores them).
    static LinePrefix compile(std::string_view prefix);
    const std::string& text() const { return text_; }

    // Matches the prefix and the severity word after it ("LOG:  "). On success
    // writes every prefix field of e (timestamp, pid, session id, names, ...: those
    // the prefix lacks are emptied) and its severity, and returns the offset of the message.
    // With the severity being a secondary label (DETAIL, STATEMENT...) it is put in e.severity too.
    // So one entry can be read into line after line (StderrGrouper): its strings keep their
    // buffers, and a timestamp equal to the one e holds is not parsed again; e's epoch_ms must
    // then be parse_timestamp_ms's of its timestamp, as match leaves it. On failure e is untouched.
    // free_text_chars (optional): bytes matched by free-text escapes, for detection.
    std::optional<std::size_t> match(std::string_view line, LogEntry& e, std::size_t* free_text_chars = nullptr) const;

    // One way to read a line: the prefix's fields, the severity and where the message starts.
    struct Reading {
        LogEntry fields;
        std::size_t message_start = 0;
        // Every %a %u %d value fits in kMaxNameBytes, as the server writes them.
        bool names_fit = true;
    };
    // Every way the line can be read, in the order of the message's start (one per
    // start, at most kMaxReadings). More than one when a free-text field (%a %u %d:
    // client-controlled) or the message holds a second severity marker.
    std::vector<Reading> readings(std::string_view line) const;
    static constexpr std::size_t kMaxReadings = 8;
    // The server cuts application_name, user and database names to NAMEDATALEN - 1
    // bytes (63 in a default build).
    static constexpr std::size_t kMaxNameBytes = 63;
    // Whether the prefix has fields a client sets (%a, %u, %d), as free text.
    bool has_client_text() const;

private:
    struct Token {
        char escape = 0;  // 0: literal
        std::string literal;
        bool after_q = false;    // part after %q: absent for background processes
        bool free_text = false;  // %a %u %d %r %h %b %i: any run of bytes, its end found by what follows
    };
    struct Spans {
        std::vector<std::string_view> spans;  // the value each token matched
        std::string_view severity;
        int steps = 0;                        // backtracking budget: a hostile line cannot make matching exponential
        std::vector<Reading>* all = nullptr;  // readings(): collect every match instead of the first
    };
    // Prefixes with more tokens than this (none known) skip the one-pass match.
    static constexpr std::size_t kMaxFirstChoiceTokens = 48;
    // match_first_choices' spans, on the stack and not initialized: it writes every
    // escape's span before fill_fields reads it, and zeroing 48 views for every line
    // was 1.6% of the reader thread's instructions (issue 17).
    struct FirstChoiceSpans {
        FirstChoiceSpans() {}  // no initialization, on purpose
        union {
            std::string_view at[kMaxFirstChoiceTokens];
        };
    };
    enum class FirstChoices { Matched, NoMatch, Unsure };
    FirstChoices match_first_choices(std::string_view line, std::string_view* spans, std::string_view& severity,
                                     std::size_t& msg) const;
    bool match_from(std::size_t ti, std::string_view line, std::size_t pos, Spans& sp, std::size_t& msg) const;
    bool match_token(std::size_t ti, std::string_view line, std::size_t pos, Spans& sp, std::size_t& msg) const;
    static void set_field(char escape, std::string_view value, LogEntry& e);
    bool collect(const Spans& sp, std::size_t msg) const;
    void fill_fields(const std::string_view* spans, std::string_view severity, LogEntry& e,
                     std::size_t* free_text_chars) const;
    std::string text_;
    std::vector<Token> tokens_;
    std::bitset<128> escapes_;  // the escapes it has, by character
    bool has_escape(char escape) const { return escapes_[static_cast<unsigned char>(escape)]; }
};

// The prefix that matches most of the sample lines, from the common prefixes, the
// empty prefix and an inference from the lines themselves; nullopt when none matches.
std::optional<std::string> detect_prefix(const std::vector<std::string>& sample_lines);

// Offset of the severity marker ("LOG:", "ERROR:", ...) followed by spaces in
// a line, scanning from the start; npos when none.
std::size_t find_severity(std::string_view line, std::string_view& severity, std::size_t& message_start);

}  // namespace pgadvisor::ingest
