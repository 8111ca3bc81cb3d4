// Nothing leaks: a log whose statements carry e-mail addresses, card-like
// numbers and tokens as literals goes through the whole pipeline (rules,
// advise, every report format, every migration and review file), and none of
// those values appears anywhere in what pgadvisor writes.
#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

#include "advise/advise.hpp"
#include "cli/analysis.hpp"
#include "emit/migrations.hpp"
#include "emit/report.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {

struct Secrets {
    std::vector<std::string> values;
    std::string email(int i) { return remember(fmt::format("customer{}.secret@example.org", i)); }
    std::string card(int i) { return remember(fmt::format("4111{:012d}", 1000003 * i + 7)); }
    std::string token(int i) { return remember(fmt::format("tok_{:08x}deadbeef", 0x5eed0000 + i)); }
    std::string remember(std::string v) {
        values.push_back(v);
        return v;
    }
};

// A stderr log of one application session: lookups by e-mail one by one (an
// N+1 loop), check-then-insert of payment tokens, card-number filters.
std::string leaky_log(Secrets& s) {
    std::string log;
    double t = 0;
    auto line = [&](const std::string& sql, double ms) {
        const int sec = static_cast<int>(t / 1000), milli = static_cast<int>(t) % 1000;
        log += fmt::format(
            "2026-01-01 00:{:02d}:{:02d}.{:03d} UTC [4242] user=app,db=shop LOG:  duration: {:.3f} ms  "
            "statement: {}\n",
            sec / 60, sec % 60, milli, ms, sql);
        t += 7;
    };
    line("SELECT id FROM accounts WHERE region = 'eu' ORDER BY id LIMIT 10", 2);
    for (int i = 0; i < 12; ++i) line(fmt::format("SELECT * FROM customers WHERE email = '{}'", s.email(i)), 4);
    for (int i = 0; i < 6; ++i) {
        line("BEGIN", 0.01);
        line(fmt::format("SELECT 1 FROM payment_tokens WHERE token = '{}' AND account_id = {}", s.token(i), 10 + i),
             0.5);
        line(fmt::format("INSERT INTO payment_tokens (token, account_id, card) VALUES ('{}', {}, '{}')", s.token(i),
                         10 + i, s.card(i)),
             0.6);
        line("COMMIT", 0.01);
    }
    for (int i = 0; i < 8; ++i) line(fmt::format("SELECT * FROM payments WHERE card = '{}'", s.card(100 + i)), 30);
    return log;
}

const char* kSchema =
    "CREATE TABLE accounts (id int PRIMARY KEY, region text NOT NULL);\n"
    "CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL);\n"
    "CREATE TABLE payment_tokens (token text NOT NULL, account_id int NOT NULL, card text NOT NULL);\n"
    "CREATE TABLE payments (id int PRIMARY KEY, card text NOT NULL, amount numeric NOT NULL);\n";

}  // namespace

TEST_CASE("no literal value from the log reaches a report, a migration or a review file", "[emit][literals]") {
    Secrets secrets;
    const fs::path dir = fs::temp_directory_path() / ("pgadvisor-literals-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "app.log") << leaky_log(secrets);
    std::ofstream(dir / "schema.sql") << kSchema;

    cli::AnalysisOptions o;
    o.inputs = {(dir / "app.log").string()};
    o.catalog.schema_file = (dir / "schema.sql").string();
    o.catalog.assume_rows = {"customers=2000000", "payments=5000000", "payment_tokens=100000", "accounts=1000"};
    o.rules = rules::load_default_rules();
    auto a = cli::run_analysis(o, "test");
    REQUIRE(a.error.empty());
    advise::AdviceInput in;
    in.findings = &a.findings;
    in.workload = &a.workload;
    in.catalog = &*a.catalog.catalog;
    const auto advice = advise::advise(in, {});

    // The pipeline saw the problems: otherwise there would be nothing to leak.
    std::set<std::string> rules_fired;
    for (const auto& f : a.findings) rules_fired.insert(f.rule_id);
    CHECK(rules_fired.count("n-plus-one"));
    CHECK(rules_fired.count("check-then-insert"));
    CHECK(rules_fired.count("seq-scan"));
    REQUIRE(advice.recommendations.size() >= 3);

    std::vector<std::pair<std::string, std::string>> outputs;  // (what, text)
    emit::ReportInput r;
    r.command = "analyze";
    r.ingest = &a.ingest;
    r.workload = &a.workload;
    r.findings = &a.findings;
    r.recommendations = &advice.recommendations;
    r.notes = advice.notes;
    for (auto [name, format] : {std::pair{"text", emit::ReportFormat::Text},
                                {"json", emit::ReportFormat::Json},
                                {"markdown", emit::ReportFormat::Markdown},
                                {"sarif", emit::ReportFormat::Sarif}})
        outputs.push_back({name, emit::render_report(r, format)});
    for (auto layout : {catalog::MigrationLayout::Plain, catalog::MigrationLayout::Flyway,
                        catalog::MigrationLayout::GolangMigrate, catalog::MigrationLayout::Prisma}) {
        emit::MigrationOptions mo;
        mo.layout = layout;
        mo.timestamp = "20260101000000";
        for (const auto& f : emit::render_migrations(advice.recommendations, mo))
            outputs.push_back({f.relative_path, f.content});
    }
    REQUIRE(secrets.values.size() > 30);
    for (const auto& [what, text] : outputs) {
        INFO(what);
        REQUIRE_FALSE(text.empty());
        for (const auto& v : secrets.values) {
            INFO(v);
            CHECK(text.find(v) == std::string::npos);
        }
        // Nor parts of them: the e-mail domain and the token marker.
        CHECK(text.find("secret@example.org") == std::string::npos);
        CHECK(text.find("deadbeef") == std::string::npos);
    }
    fs::remove_all(dir);
}
