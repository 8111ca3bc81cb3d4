#include "catalog/migrations.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <iterator>
#include <system_error>

#include "ingest/input.hpp"

namespace pgadvisor::catalog {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Version "1.10.2" or "1_10_2" as numbers, so 1.10 comes after 1.9 (Flyway, golang-migrate).
std::vector<unsigned long long> version_parts(const std::string& v) {
    std::vector<unsigned long long> out;
    std::string cur;
    for (char c : v + ".") {
        if (std::isdigit(static_cast<unsigned char>(c))) cur += c;
        else if (!cur.empty()) {
            out.push_back(std::stoull(cur.substr(0, 18)));
            cur.clear();
        }
    }
    return out;
}

struct Keyed {
    std::vector<unsigned long long> version;
    std::string name;
    std::string path;
};

void sort_keyed(std::vector<Keyed>& v) {
    std::sort(v.begin(), v.end(), [](const Keyed& a, const Keyed& b) {
        return a.version != b.version ? a.version < b.version : a.name < b.name;
    });
}

}  // namespace

const char* to_string(MigrationLayout l) {
    switch (l) {
        case MigrationLayout::Plain: return "plain";
        case MigrationLayout::Flyway: return "flyway";
        case MigrationLayout::GolangMigrate: return "golang-migrate";
        case MigrationLayout::Prisma: return "prisma";
        case MigrationLayout::Django: return "django";
        case MigrationLayout::Alembic: return "alembic";
        case MigrationLayout::Rails: return "rails";
        case MigrationLayout::Knex: return "knex";
    }
    return "?";
}

std::optional<MigrationLayout> migration_layout_from_string(std::string_view s) {
    for (auto l :
         {MigrationLayout::Plain, MigrationLayout::Flyway, MigrationLayout::GolangMigrate, MigrationLayout::Prisma,
          MigrationLayout::Django, MigrationLayout::Alembic, MigrationLayout::Rails, MigrationLayout::Knex})
        if (s == to_string(l)) return l;
    return std::nullopt;
}

MigrationPlan plan_migrations(const std::string& dir) {
    MigrationPlan plan;
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
        entries.push_back(*it);
    if (ec) {
        plan.errors.push_back({dir, 0, "cannot read migrations folder: " + ec.message()});
        return plan;
    }
    std::vector<std::string> prisma, sql_files;
    for (const auto& e : entries) {
        const std::string name = e.path().filename().string();
        if (e.is_directory(ec) && fs::exists(e.path() / "migration.sql", ec)) prisma.push_back(name);
        else if (e.is_regular_file(ec) && ends_with(name, ".sql")) sql_files.push_back(name);
    }
    std::sort(prisma.begin(), prisma.end());
    std::sort(sql_files.begin(), sql_files.end());
    auto is_flyway = [](const std::string& n) {
        return (n.size() > 1 && (n[0] == 'V' || n[0] == 'U') && std::isdigit(static_cast<unsigned char>(n[1])) &&
                n.find("__") != std::string::npos) ||
               n.rfind("R__", 0) == 0;
    };
    auto is_golang = [](const std::string& n) {
        return (ends_with(n, ".up.sql") || ends_with(n, ".down.sql")) && std::isdigit(static_cast<unsigned char>(n[0]));
    };

    if (!prisma.empty()) {
        plan.layout = MigrationLayout::Prisma;
        for (const auto& p : prisma) plan.files.push_back((fs::path(dir) / p / "migration.sql").string());
        for (const auto& f : sql_files) plan.skipped.push_back((fs::path(dir) / f).string());
        return plan;
    }
    if (std::any_of(sql_files.begin(), sql_files.end(), is_flyway)) {
        plan.layout = MigrationLayout::Flyway;
        std::vector<Keyed> versioned, repeatable;
        for (const auto& f : sql_files) {
            const std::string path = (fs::path(dir) / f).string();
            if (f.rfind("R__", 0) == 0) repeatable.push_back({{}, f, path});
            else if (f[0] == 'V' && is_flyway(f))
                versioned.push_back({version_parts(f.substr(1, f.find("__") - 1)), f, path});
            else plan.skipped.push_back(path);  // undo migrations and strays
        }
        sort_keyed(versioned);
        sort_keyed(repeatable);
        for (const auto& k : versioned) plan.files.push_back(k.path);
        for (const auto& k : repeatable) plan.files.push_back(k.path);
        return plan;
    }
    // golang-migrate has an .up.sql for each version; .down.sql files alone are pgadvisor's
    // plain layout (NNNN_name.sql + NNNN_name.down.sql).
    auto is_golang_up = [&](const std::string& n) { return is_golang(n) && ends_with(n, ".up.sql"); };
    if (std::any_of(sql_files.begin(), sql_files.end(), is_golang_up)) {
        plan.layout = MigrationLayout::GolangMigrate;
        std::vector<Keyed> ups;
        for (const auto& f : sql_files) {
            const std::string path = (fs::path(dir) / f).string();
            if (is_golang(f) && ends_with(f, ".up.sql"))
                ups.push_back({version_parts(f.substr(0, f.find('_'))), f, path});
            else plan.skipped.push_back(path);
        }
        sort_keyed(ups);
        for (const auto& k : ups) plan.files.push_back(k.path);
        return plan;
    }
    for (const auto& f : sql_files) {
        const std::string path = (fs::path(dir) / f).string();
        if (ends_with(f, ".down.sql")) plan.skipped.push_back(path);  // a plain layout's undo file
        else plan.files.push_back(path);
    }
    return plan;
}

Catalog load_migrations(const std::string& dir, const OfflineOptions& options) {
    Catalog cat;
    cat.source = dir;
    cat.search_path = {"$user", "public"};
    cat.schemas = {"public"};
    auto plan = plan_migrations(dir);
    cat.errors = plan.errors;
    for (const auto& path : plan.files) {
        auto whole = ingest::read_whole_file(path);  // capped, binary refused (ingest/limits.hpp)
        if (!whole.text) {
            cat.errors.push_back({path, 0, "cannot read: " + whole.error});
            continue;
        }
        const std::string& text = *whole.text;
        // Each migration runs in its own session: the search_path a file sets does not carry over.
        const auto path_before = cat.search_path;
        apply_ddl(cat, text, path);
        cat.search_path = path_before;
    }
    cat.notes.push_back(fmt::format("{} migrations read in {} order ({} skipped: down/undo or not part of the layout)",
                                    plan.files.size(), to_string(plan.layout), plan.skipped.size()));
    assume_rows(cat, options);
    return cat;
}

}  // namespace pgadvisor::catalog
