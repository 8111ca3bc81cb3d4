#pragma once
// Every statement of the repository's SQL files (tests, examples, migrations,
// docs) and of the shared corpus's queries: the inputs on which a faster reader
// of libpg_query's output is compared with the one it replaced.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sql/parser.hpp"

namespace pgadvisor::test {

// The statements of one text, as libpg_query splits it (none when it cannot).
inline std::vector<std::string> statements_of(const std::string& text) {
    std::vector<std::string> out;
    auto spans = sql::split_statements(text);
    if (!spans) return out;
    for (const auto& s : *spans.value) out.emplace_back(text.substr(s.offset, s.length));
    return out;
}

inline std::vector<std::string> sql_corpus_statements() {
    std::vector<std::filesystem::path> files;
    auto add_files = [&](const std::filesystem::path& root) {
        if (!std::filesystem::exists(root)) return;
        for (const auto& e : std::filesystem::recursive_directory_iterator(root))
            if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path());
    };
    const std::filesystem::path source = PGADVISOR_SOURCE_DIR;
    for (const char* dir : {"tests", "examples", "migrations", "docs"}) add_files(source / dir);
    add_files(PGADVISOR_SHARED_CORPUS);

    std::vector<std::string> out;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (auto& statement : statements_of(text)) out.push_back(std::move(statement));
    }
    return out;
}

}  // namespace pgadvisor::test
