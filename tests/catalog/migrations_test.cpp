// Migration folders in their tools' order. Each fixture is built so that the
// wrong order (plain byte order of names) fails: 1.10 before 1.9, 10_ before 2_.
#include <catch2/catch.hpp>

#include <filesystem>

#include "catalog/migrations.hpp"

using namespace pgadvisor::catalog;

namespace {
const std::string kDir = PGADVISOR_TEST_FIXTURES "/catalog/migrations/";

std::vector<std::string> names(const std::vector<std::string>& paths) {
    std::vector<std::string> out;
    for (const auto& p : paths) {
        std::filesystem::path fp(p);
        out.push_back(fp.filename() == "migration.sql" ? fp.parent_path().filename().string() : fp.filename().string());
    }
    return out;
}
}  // namespace

TEST_CASE("plain folders apply in file name order", "[catalog][migrations]") {
    const auto plan = plan_migrations(kDir + "plain");
    CHECK(plan.layout == MigrationLayout::Plain);
    CHECK(names(plan.files) == std::vector<std::string>{"001_users.sql", "002_email.sql", "010_rename.sql"});
    const auto cat = load_migrations(kDir + "plain");
    REQUIRE(cat.errors.empty());
    const Table* users = cat.find_table("public", "users");
    REQUIRE(users);
    CHECK(users->column("mail"));
    CHECK_FALSE(users->column("email"));
}

TEST_CASE("Flyway: versions compare as numbers, repeatables last, undo skipped", "[catalog][migrations]") {
    const auto plan = plan_migrations(kDir + "flyway");
    CHECK(plan.layout == MigrationLayout::Flyway);
    CHECK(names(plan.files) ==
          std::vector<std::string>{"V1__init.sql", "V1.9__a.sql", "V1.10__rename_a.sql", "R__indexes.sql"});
    CHECK(names(plan.skipped) == std::vector<std::string>{"U1.10__undo.sql"});
    const auto cat = load_migrations(kDir + "flyway");
    INFO((cat.errors.empty() ? "" : cat.errors[0].message));
    REQUIRE(cat.errors.empty());
    const Table* users = cat.find_table("public", "users");
    REQUIRE(users);
    CHECK(users->column("b"));
    CHECK(cat.find_index("public", "users_b_idx"));
    CHECK(cat.notes[0].find("4 migrations read in flyway order (1 skipped") != std::string::npos);
}

TEST_CASE("golang-migrate: up files by version number, down files skipped", "[catalog][migrations]") {
    const auto plan = plan_migrations(kDir + "golang");
    CHECK(plan.layout == MigrationLayout::GolangMigrate);
    CHECK(names(plan.files) == std::vector<std::string>{"1_init.up.sql", "2_x.up.sql", "10_rename.up.sql"});
    CHECK(plan.skipped.size() == 2);
    const auto cat = load_migrations(kDir + "golang");
    REQUIRE(cat.errors.empty());
    CHECK(cat.find_table("public", "users")->column("y"));
}

TEST_CASE("Prisma: one folder per migration, by timestamp", "[catalog][migrations]") {
    const auto plan = plan_migrations(kDir + "prisma");
    CHECK(plan.layout == MigrationLayout::Prisma);
    CHECK(names(plan.files) ==
          std::vector<std::string>{"20231231235959_init", "20240105093000_add_orders", "20240201000000_index_orders"});
    const auto cat = load_migrations(kDir + "prisma");
    REQUIRE(cat.errors.empty());
    const Table* order = cat.find_table("public", "Order");
    REQUIRE(order);
    REQUIRE(order->constraints.size() == 2);
    CHECK(order->constraints[1].name == "Order_userId_fkey");
    CHECK(order->constraints[1].ref_table == "User");
    CHECK(cat.find_index("public", "Order_userId_idx"));
    CHECK(cat.find_table("public", "User")->column("id")->type == "integer");
}

TEST_CASE("a missing migrations folder is an error, not a crash", "[catalog][migrations]") {
    const auto cat = load_migrations(kDir + "does_not_exist");
    REQUIRE(cat.errors.size() == 1);
    CHECK(cat.errors[0].message.find("cannot read migrations folder") != std::string::npos);
}

TEST_CASE("migrations: one layout type, its names both ways", "[migrations]") {
    for (auto layout :
         {MigrationLayout::Plain, MigrationLayout::Flyway, MigrationLayout::GolangMigrate, MigrationLayout::Prisma})
        CHECK(migration_layout_from_string(to_string(layout)) == layout);
    CHECK(std::string(to_string(MigrationLayout::GolangMigrate)) == "golang-migrate");
    CHECK_FALSE(migration_layout_from_string("liquibase"));
    CHECK_FALSE(migration_layout_from_string("Plain"));
}

TEST_CASE("pgadvisor's own plain layout: NNNN_name.sql applied, NNNN_name.down.sql skipped", "[catalog][migrations]") {
    // migrations/ is the shop example's golden output. Its .down.sql files once made the
    // folder read as golang-migrate, which applies only .up.sql: nothing at all was read.
    const auto plan = plan_migrations(PGADVISOR_SOURCE_DIR "/migrations");
    CHECK(plan.layout == MigrationLayout::Plain);
    REQUIRE_FALSE(plan.files.empty());
    CHECK(plan.files.size() == plan.skipped.size());
    for (const auto& f : names(plan.files)) CHECK(f.find(".down.") == std::string::npos);
    for (const auto& f : names(plan.skipped)) CHECK(f.find(".down.sql") != std::string::npos);
}
