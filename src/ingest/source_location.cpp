#include "ingest/source_location.hpp"

#include <mutex>
#include <set>

namespace pgadvisor::ingest {

const std::string& FileName::none() {
    static const std::string none;
    return none;
}

FileName::FileName(std::string_view name) {
    if (name.empty()) return;
    // Never destroyed: a FileName in a static object may outlive any other static.
    static auto* names = new std::set<std::string, std::less<>>;
    static std::mutex mu;
    std::lock_guard lock(mu);
    auto it = names->find(name);
    if (it == names->end()) it = names->emplace(name).first;
    name_ = &*it;
}

std::string location_text(const SourceLocation& location) {
    if (location.file.empty()) return "";
    if (location.first_line <= 0) return location.file;
    if (location.last_line > location.first_line)
        return fmt::format("{}:{}-{}", location.file, location.first_line, location.last_line);
    return fmt::format("{}:{}", location.file, location.first_line);
}

}  // namespace pgadvisor::ingest
