#pragma once
// Golden files for the emit tests: rendered migration files compared with a
// reviewed copy under tests/fixtures/; PGADVISOR_UPDATE_GOLDEN=1 rewrites the
// copy instead (review the diff, then commit).

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "emit/migrations.hpp"

namespace pgadvisor::test {

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void spit(const std::filesystem::path& p, const std::string& content) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

inline std::set<std::string> files_under(const std::filesystem::path& dir) {
    std::set<std::string> out;
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.insert(std::filesystem::relative(e.path(), dir).generic_string());
    return out;
}

inline void check_golden_dir(const std::filesystem::path& dir, const std::vector<emit::MigrationFile>& files) {
    const char* update = std::getenv("PGADVISOR_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        std::filesystem::remove_all(dir);
        for (const auto& f : files) spit(dir / f.relative_path, f.content);
        WARN("golden files rewritten in " << dir);
        return;
    }
    std::set<std::string> rendered;
    for (const auto& f : files) {
        rendered.insert(f.relative_path);
        INFO("golden file " << (dir / f.relative_path));
        REQUIRE(std::filesystem::exists(dir / f.relative_path));
        CHECK(slurp(dir / f.relative_path) == f.content);
    }
    CHECK(files_under(dir) == rendered);  // nothing stale left among the golden files
}

}  // namespace pgadvisor::test
