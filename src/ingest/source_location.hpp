#pragma once
// Where something was read: a file and a line range. Ingest stamps it on every
// Statement; rules, advise and emit carry the same type into findings and
// reports. Takes nothing; gives FileName, SourceLocation and its "file:line" text.

#include <compare>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace pgadvisor::ingest {

// A file's name, interned: every statement read names its file, and a copy of the name in
// each was an allocation, freed on another thread (with the timestamp's copy, 8% of digest's
// CPU, issue 17). Equal names are one pointer, kept for the rest of the process (a run names a
// few files).
class FileName {
public:
    FileName() = default;
    // Implicit: a name given as text is one.
    FileName(std::string_view name);
    FileName(const std::string& name) : FileName(std::string_view(name)) {}
    FileName(const char* name) : FileName(std::string_view(name)) {}

    const std::string& str() const { return name_ ? *name_ : none(); }
    operator const std::string&() const { return str(); }
    bool empty() const { return !name_; }

    friend bool operator==(const FileName& a, const FileName& b) { return a.name_ == b.name_; }
    friend bool operator==(const FileName& a, std::string_view b) { return a.str() == b; }
    friend bool operator==(const FileName& a, const std::string& b) { return a.str() == b; }
    friend bool operator==(const FileName& a, const char* b) { return a.str() == b; }
    friend std::strong_ordering operator<=>(const FileName& a, const FileName& b) {
        return a.name_ == b.name_ ? std::strong_ordering::equal : a.str().compare(b.str()) <=> 0;
    }

private:
    static const std::string& none();
    const std::string* name_ = nullptr;  // interned; null for no name
};

// nlohmann::json's conversion, found by argument-dependent lookup (no JSON header here).
template <typename Json>
void to_json(Json& j, const FileName& name) {
    j = name.str();
}

struct SourceLocation {
    FileName file;        // as given on the command line ("-" for stdin): log, plan, schema or migration file
    long first_line = 0;  // 1-based, inclusive; 0 when unknown
    long last_line = 0;   // inclusive; equal to first_line for one line
};

// "file:12", "file:12-14", "file" (line unknown), "" (no file).
std::string location_text(const SourceLocation& location);

}  // namespace pgadvisor::ingest

template <>
struct fmt::formatter<pgadvisor::ingest::FileName> : fmt::formatter<std::string_view> {
    template <typename Context>
    auto format(const pgadvisor::ingest::FileName& name, Context& ctx) const {
        return fmt::formatter<std::string_view>::format(name.str(), ctx);
    }
};
