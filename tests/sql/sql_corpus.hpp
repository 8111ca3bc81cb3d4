#pragma once
// Every statement of the repository's SQL files (tests, examples, migrations,
// docs) and of the shared corpus's queries: the inputs on which a faster reader
// of libpg_query's output is compared with the one it replaced. And every text
// of a folder's files, whole and line by line (corpus_texts).

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
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

inline std::string slurp_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Each file whole (multi-statement .sql files, logs that are no SQL at all), each of
// its lines, and what follows "statement: " on a line: distinct texts, each once.
inline std::set<std::string> corpus_texts(const std::vector<std::filesystem::path>& roots) {
    std::set<std::string> out;
    for (const auto& root : roots) {
        for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
            if (!e.is_regular_file() || e.file_size() > (std::size_t{2} << 20)) continue;
            const std::string whole = slurp_file(e.path());
            out.insert(whole);
            std::size_t pos = 0;
            while (pos < whole.size()) {
                std::size_t eol = whole.find('\n', pos);
                if (eol == std::string::npos) eol = whole.size();
                const std::string line = whole.substr(pos, eol - pos);
                pos = eol + 1;
                out.insert(line);
                if (auto s = line.find("statement: "); s != std::string::npos) out.insert(line.substr(s + 11));
            }
        }
    }
    return out;
}

}  // namespace pgadvisor::test
