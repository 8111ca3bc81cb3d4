#pragma once
// Printing text that holds names from a schema or a log (tables, columns,
// files): escape sequences and bidi overrides in them are shown escaped
// (sql::terminal_safe), never obeyed by the terminal.

#include <fmt/format.h>

#include <cstdio>
#include <utility>

#include "sql/text.hpp"

namespace pgadvisor::cli {

template <typename... Args>
void print_safe(fmt::format_string<Args...> format, Args&&... args) {
    const std::string text = sql::terminal_safe(fmt::format(format, std::forward<Args>(args)...));
    std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace pgadvisor::cli
