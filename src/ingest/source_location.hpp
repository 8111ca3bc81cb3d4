#pragma once
// Where something was read: a file and a line range. Ingest stamps it on every
// Statement; rules, advise and emit carry the same type into findings and
// reports. Takes nothing; gives SourceLocation and its "file:line" text.

#include <string>

namespace pgadvisor::ingest {

struct SourceLocation {
    std::string file;     // as given on the command line ("-" for stdin): log, plan, schema or migration file
    long first_line = 0;  // 1-based, inclusive; 0 when unknown
    long last_line = 0;   // inclusive; equal to first_line for one line
};

// "file:12", "file:12-14", "file" (line unknown), "" (no file).
std::string location_text(const SourceLocation& location);

}  // namespace pgadvisor::ingest
