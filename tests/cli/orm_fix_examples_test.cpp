// End to end over the example applications' captures (examples/*/captured, the
// apps bench/orm-scorecard scores): each app's N+1 and check-then-insert
// findings carry its own ORM's code, in the JSON report as in orm_fix_for.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advise/orm_fix.hpp"
#include "cli/analysis.hpp"
#include "emit/report.hpp"
#include "rules/registry.hpp"

using namespace pgadvisor;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

struct App {
    const char* dir;
    workload::Orm orm;
    const char* json_name;
    std::vector<std::string> fragments;  // code some finding's fix must hold: the app's own model names
};

cli::Analysis analysis_of(const std::string& captured) {
    cli::AnalysisOptions o;
    o.inputs = {captured};
    o.catalog.schema_file = captured + "/schema.sql";
    o.rules = rules::load_default_rules();
    cli::Analysis a = cli::run_analysis(o, "test");
    REQUIRE(a.error.empty());
    return a;
}

bool changes_application(const rules::Finding& f) {
    return f.rule_id == "n-plus-one" || f.rule_id == "check-then-insert";
}

}  // namespace

TEST_CASE("orm fix: each example app's N+1 and check-then-insert findings carry its ORM's code",
          "[cli][orm-fix][examples]") {
    const std::vector<App> apps = {
        {"prisma-blog",
         workload::Orm::Prisma,
         "prisma",
         {"prisma.user.findMany({ where: { id: { in: ids } } })", "await prisma.follow.upsert({"}},
        {"sequelize-clinic", workload::Orm::Sequelize, "sequelize", {".findAll({ where: { id: ids } })", ".upsert({"}},
        {"django-app",
         workload::Orm::Django,
         "django",
         {"Customer.objects.in_bulk(ids)", "Watcher.objects.bulk_create([Watcher("}},
        {"sqlalchemy-app", workload::Orm::SqlAlchemy, "sqlalchemy", {"selectinload(", ".on_conflict_do_"}},
        {"activerecord-app",
         workload::Orm::ActiveRecord,
         "activerecord",
         {"Member.where(id: ids)", "Hold.insert({ member_id: member_id, book_id: book_id }"}},
    };
    for (const App& app : apps) {
        INFO(app.dir);
        const std::string captured = std::string(PGADVISOR_SOURCE_DIR) + "/examples/" + app.dir + "/captured";
        const cli::Analysis a = analysis_of(captured);
        int with_fix = 0;
        std::string all_code;
        for (const auto& f : a.findings) {
            if (!changes_application(f)) continue;
            INFO(f.title);
            const auto fix = advise::orm_fix_for(f, a.workload);
            REQUIRE(fix);
            CHECK(fix->orm == app.orm);
            all_code += fix->code + "\n";
            ++with_fix;
        }
        CHECK(with_fix >= 4);  // every app plants two loops and two check-then-inserts at least
        for (const auto& fragment : app.fragments) CHECK(contains(all_code, fragment));

        // The JSON report carries the same code beside each such finding, and none elsewhere.
        emit::ReportInput input;
        input.command = "analyze";
        input.workload = &a.workload;
        input.findings = &a.findings;
        const auto doc = nlohmann::json::parse(emit::render_report(input, emit::ReportFormat::Json));
        for (const auto& f : doc.at("findings")) {
            const bool changes = f.at("rule") == "n-plus-one" || f.at("rule") == "check-then-insert";
            REQUIRE(f.contains("orm_fix"));
            if (!changes) {
                CHECK(f.at("orm_fix").is_null());
                continue;
            }
            CHECK(f.at("orm_fix").at("orm") == app.json_name);
            CHECK(contains(all_code, f.at("orm_fix").at("code").get<std::string>()));
        }
    }
}

TEST_CASE("orm fix: text, Markdown and SARIF show the Prisma app's ORM code too", "[cli][orm-fix][examples]") {
    const cli::Analysis a = analysis_of(std::string(PGADVISOR_SOURCE_DIR) + "/examples/prisma-blog/captured");
    emit::ReportInput input;
    input.command = "analyze";
    input.workload = &a.workload;
    input.findings = &a.findings;
    const std::string code = "prisma.user.findMany({ where: { id: { in: ids } } })";
    for (auto format : {emit::ReportFormat::Text, emit::ReportFormat::Markdown, emit::ReportFormat::Sarif}) {
        const std::string out = emit::render_report(input, format);
        INFO(out.substr(0, 400));
        CHECK(contains(out, "In Prisma"));
        // SARIF holds it as a JSON string: the quotes inside are escaped, the code is not.
        CHECK(contains(out, code));
    }
    const auto sarif = nlohmann::json::parse(emit::render_report(input, emit::ReportFormat::Sarif));
    int with_property = 0;
    for (const auto& r : sarif.at("runs").at(0).at("results"))
        if (r.at("properties").contains("ormFix")) {
            CHECK(r.at("properties").at("ormFix").at("orm") == "prisma");
            ++with_property;
        }
    CHECK(with_property >= 4);
}

TEST_CASE("orm fix: workloads of no detected ORM get no ORM code", "[cli][orm-fix][examples]") {
    // The shop example is plain SQL from a C++ driver; pgbench is pgbench.
    for (const char* dir : {"shop", "pgbench"}) {
        INFO(dir);
        const cli::Analysis a = analysis_of(std::string(PGADVISOR_SOURCE_DIR) + "/examples/" + dir + "/captured");
        for (const auto& f : a.findings) CHECK_FALSE(advise::orm_fix_for(f, a.workload));
    }
}
