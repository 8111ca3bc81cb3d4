#pragma once
// Where a statement a rule remembers ran, without a copy of its file name:
// the sequence rules (n-plus-one, check-then-insert) note a place for most
// statements, and a log's path is often longer than a string holds inline,
// so each copy was an allocation.
//
// Takes: the statements' SourceLocations. Gives: CallPlaces, turned back into
// SourceLocations for the few a finding shows.

#include <set>
#include <string>

#include "rules/finding.hpp"

namespace pgadvisor::rules {

// A place: its file by an interned name (FileNames) and its lines.
struct CallPlace {
    const std::string* file = nullptr;
    long first_line = 0, last_line = 0;
    SourceLocation location() const { return {file ? *file : std::string(), first_line, last_line}; }
};

// Each file name once, for CallPlace; std::set, so that the names never move.
class FileNames {
public:
    CallPlace place(const SourceLocation& where) {
        if (!last_ || *last_ != where.file) last_ = &*names_.insert(where.file).first;
        return {last_, where.first_line, where.last_line};
    }

private:
    std::set<std::string> names_;
    const std::string* last_ = nullptr;  // statements come many to a file
};

}  // namespace pgadvisor::rules
