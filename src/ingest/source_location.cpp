#include "ingest/source_location.hpp"

#include <fmt/core.h>

namespace pgadvisor::ingest {

std::string location_text(const SourceLocation& location) {
    if (location.file.empty()) return "";
    if (location.first_line <= 0) return location.file;
    if (location.last_line > location.first_line)
        return fmt::format("{}:{}-{}", location.file, location.first_line, location.last_line);
    return fmt::format("{}:{}", location.file, location.first_line);
}

}  // namespace pgadvisor::ingest
