// Every rewrite a report mentions has its review file, byte for byte, and each
// review file's name says what it holds (issue 13, class 4). Run end to end
// (analysis, advise, migrations, reports) over the bundled shop example and
// tests/fixtures/emit/upsert-two-paths: two code paths that check the same cart
// key before inserting it, one that uses the row it found (SELECT quantity,
// then UPDATE or INSERT) and one that only checks it exists (SELECT 1).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <variant>

#include "advise/advise.hpp"
#include "cli/analysis.hpp"
#include "emit/report.hpp"
#include "sql/parser.hpp"
#include "sql/statements.hpp"
#include "sql/text.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {

struct CurrentDir {
    fs::path saved = fs::current_path();
    explicit CurrentDir(const fs::path& to) { fs::current_path(to); }
    ~CurrentDir() { fs::current_path(saved); }
};

struct Run {
    cli::Analysis analysis;
    advise::Advice advice;
    std::vector<emit::MigrationFile> files;
    std::map<std::string, std::string> reviews;  // review file path -> its statement
};

Run run(const fs::path& dir, const std::vector<std::string>& inputs, const std::string& schema) {
    CurrentDir cd(dir);
    Run r;
    cli::AnalysisOptions o;
    o.inputs = inputs;
    o.catalog.schema_file = schema;
    o.rules = rules::load_default_rules();
    r.analysis = cli::run_analysis(o, "test");
    REQUIRE(r.analysis.error.empty());
    advise::AdviceInput in;
    in.findings = &r.analysis.findings;
    in.workload = &r.analysis.workload;
    in.catalog = &*r.analysis.catalog.catalog;
    advise::AdviseOptions ao;
    ao.round_trip_ms = 0.3;
    r.advice = advise::advise(in, ao);
    emit::MigrationOptions mo;
    mo.timestamp = "20260101000000";
    r.files = emit::render_migrations(r.advice.recommendations, mo);
    return r;
}

// A review file's statement: what follows its comment lines, without the final newline.
std::string statement_of(const std::string& content) {
    std::size_t at = 0;
    while (at < content.size() && (content.compare(at, 2, "--") == 0 || content[at] == '\n')) {
        const std::size_t end = content.find('\n', at);
        at = end == std::string::npos ? content.size() : end + 1;
    }
    std::string s = content.substr(at);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

// The name an UPSERT's review file must have: upsert_<table>_<conflict keys>_key[_N].sql.
std::optional<std::string> upsert_name(const std::string& statement) {
    auto read = sql::read_statements(statement);
    if (!read.value || read.value->size() != 1) return std::nullopt;
    const auto* insert = std::get_if<sql::Insert>(&read.value->front());
    if (!insert || !insert->conflict_target) return std::nullopt;
    std::vector<std::string> keys;
    for (const auto& k : insert->conflict_target->keys) keys.push_back(k.column);
    return "review/upsert_" + insert->relation.name + "_" + sql::join(keys, "_") + "_key";
}

// The invariant, over one run: files, findings, recommendations and every report format.
void check_reviews(Run& r) {
    for (const auto& f : r.files) {
        if (f.role != emit::FileRole::Review) continue;
        const std::string statement = statement_of(f.content);
        INFO(f.relative_path << ":\n" << f.content);
        CHECK(sql::parses(statement));
        r.reviews[f.relative_path] = statement;
        // The name says what it holds: an UPSERT by its table and conflict keys, nothing else as an UPSERT.
        const auto upsert = upsert_name(statement);
        CHECK((f.relative_path.rfind("review/upsert_", 0) == 0) == upsert.has_value());
        if (upsert) CHECK(f.relative_path.rfind(*upsert, 0) == 0);
        // What changes for the caller is in the file beside the statement.
        if (statement.find("DO NOTHING") != std::string::npos)
            CHECK(f.content.find("returns no row when the key exists; the caller must not expect one") !=
                  std::string::npos);
        if (statement.find("RETURNING") != std::string::npos)
            CHECK(f.content.find("-- For the caller: ") != std::string::npos);
    }
    std::set<std::string> statements;
    for (const auto& [path, s] : r.reviews) statements.insert(s);
    auto has_file = [&](const std::string& rewrite) { return statements.count(rewrite) > 0; };

    for (const auto& f : r.analysis.findings)
        if (!f.rewrite_sql.empty()) {
            INFO(f.title << "\n" << f.rewrite_sql);
            CHECK(has_file(f.rewrite_sql));
        }
    for (std::size_t i = 0; i < r.advice.recommendations.size(); ++i) {
        const auto& rec = r.advice.recommendations[i];
        if (rec.review_sql.empty()) continue;
        bool own = false;  // the recommendation's own review file holds its statement
        for (const auto& f : r.files)
            own |= f.role == emit::FileRole::Review && f.recommendation == i &&
                   statement_of(f.content) == rec.review_sql;
        INFO(rec.title << "\n" << rec.review_sql);
        CHECK(own);
    }

    // The reports: every statement they mention for the application code is a review file's.
    emit::ReportInput input;
    input.command = "analyze";
    input.findings = &r.analysis.findings;
    input.recommendations = &r.advice.recommendations;
    const auto doc = nlohmann::json::parse(emit::render_report(input, emit::ReportFormat::Json));
    for (const auto& f : doc["findings"])
        if (!f["rewrite_sql"].get<std::string>().empty()) CHECK(has_file(f["rewrite_sql"].get<std::string>()));
    for (const auto& rec : doc["recommendations"])
        if (!rec["review_sql"].get<std::string>().empty()) CHECK(has_file(rec["review_sql"].get<std::string>()));
    for (auto format : {emit::ReportFormat::Text, emit::ReportFormat::Markdown}) {
        const std::string text = emit::render_report(input, format);
        std::size_t at = 0;
        while (at < text.size()) {
            std::size_t end = text.find('\n', at);
            if (end == std::string::npos) end = text.size();
            std::string line = text.substr(at, end - at);
            at = end + 1;
            line.erase(0, line.find_first_not_of(' '));
            const bool statement = line.rfind("INSERT INTO ", 0) == 0 || line.rfind("SELECT ", 0) == 0;
            if (!statement ||
                (line.find("ON CONFLICT") == std::string::npos && line.find("= ANY(") == std::string::npos))
                continue;
            if (!line.empty() && line.back() == ';') line.pop_back();  // a finding's fix SQL ends its statements
            INFO("a statement in the report: " << line);
            CHECK(has_file(line));
        }
        // And every review file's statement is in the report, as it is in the file.
        for (const auto& s : statements) CHECK(text.find(s) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("review files: two UPSERTs on one unique key each get their own file, named by what it holds",
          "[migrations][review]") {
    const fs::path dir = fs::path(PGADVISOR_TEST_FIXTURES) / "emit" / "upsert-two-paths";
    Run r = run(dir, {"postgresql.log"}, "schema.sql");
    REQUIRE(r.analysis.findings.size() == 2);
    check_reviews(r);
    // The path that used the row it found returns it, for an existing key too; the
    // path that only checked existence keeps DO NOTHING and says what that means.
    CHECK(r.reviews ==
          std::map<std::string, std::string>{
              {"review/upsert_cart_items_cart_id_product_id_key.sql",
               "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3) ON CONFLICT "
               "(cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + $4 RETURNING quantity"},
              {"review/upsert_cart_items_cart_id_product_id_key_2.sql",
               "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3) ON CONFLICT "
               "(cart_id, product_id) DO NOTHING"}});
    // One unique index, one migration: the second UPSERT does not build it again.
    std::size_t ups = 0;
    for (const auto& f : r.files) ups += f.role == emit::FileRole::Up;
    CHECK(ups == 1);
}

TEST_CASE("review files: with the unique index already there, each UPSERT is a rewrite named upsert_",
          "[migrations][review]") {
    const fs::path dir = fs::path(PGADVISOR_TEST_FIXTURES) / "emit" / "upsert-two-paths";
    Run r = run(dir, {"postgresql.log"}, "schema-unique.sql");
    check_reviews(r);
    CHECK(r.reviews.size() == 2);
    CHECK(r.reviews.count("review/upsert_cart_items_cart_id_product_id_key.sql"));
    CHECK(r.reviews.count("review/upsert_cart_items_cart_id_product_id_key_2.sql"));
}

TEST_CASE("review files: the bundled shop example's rewrites are its review files", "[migrations][review][example]") {
    Run r = run(PGADVISOR_SOURCE_DIR, {"examples/shop/captured/plans", "examples/shop/captured/postgresql.log"},
                "examples/shop/captured/schema.sql");
    check_reviews(r);
    CHECK(r.reviews.size() == 4);  // two batched N+1 lookups, two UPSERTs
}
