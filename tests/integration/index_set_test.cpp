// Issue 15 on a real server: statements given alone (a .sql file, no durations)
// are advised on by planner cost; the proposed indexes are planned together,
// each statement's saving counted once; and the proposal does not change when
// ANALYZE re-samples the table. The data are Dexter's test schema
// (ankane/dexter test/support/schema.sql, MIT licence): posts with 100,000 rows,
// blog_id = n % 1000, user_id = n % 10, and blogs.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "throwaway_pg.hpp"

using namespace pgadvisor::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string posts_database() {
    const auto& pg = throwaway_pg();
    const std::string name = "pgadvisor_index_set";
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        tx.exec("CREATE DATABASE " + name);
    }
    pqxx::connection conn(pg.conninfo(name));
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE EXTENSION hypopg");
    tx.exec("CREATE TABLE posts (id int PRIMARY KEY, blog_id int, user_id int, indexed int)");
    tx.exec(
        "INSERT INTO posts (id, blog_id, user_id, indexed) SELECT n, n % 1000, n % 10, n "
        "FROM generate_series(1, 100000) n");
    tx.exec("CREATE INDEX ON posts (indexed)");
    tx.exec("CREATE TABLE blogs (id int PRIMARY KEY, name text)");
    tx.exec("INSERT INTO blogs SELECT n, 'blog ' || n FROM generate_series(1, 1000) n");
    tx.exec("VACUUM ANALYZE posts");
    tx.exec("VACUUM ANALYZE blogs");
    return pg.conninfo(name);
}

fs::path write_sql(const std::string& name, const std::string& text) {
    const fs::path dir = fs::temp_directory_path() / "pgadvisor-index-set";
    fs::create_directories(dir);
    const fs::path p = dir / name;
    std::ofstream(p) << text;
    return p;
}

json analyze_json(const fs::path& sql, const std::string& conninfo) {
    auto r = run_pgadvisor("analyze " + shell_quoted(sql.string()) + " --db " + shell_quoted(conninfo) +
                               " --format json",
                           /*with_stderr=*/false);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.output);
}

std::vector<json> index_recommendations(const json& report) {
    std::vector<json> out;
    for (const auto& r : report["recommendations"])
        if (r["kind"] == "create-index" || r["kind"] == "create-unique-index") out.push_back(r);
    return out;
}

// Whether a literal value shows anywhere in the report: as a whole token in a
// string (4172.5 or 1417 do not count: planner costs and byte counts are
// numbers that change with ANALYZE's sample) or as a number of that value.
bool shows_literal(const json& node, const std::string& literal) {
    if (node.is_string()) {
        const std::string& s = node.get_ref<const std::string&>();
        const auto part_of_number = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; };
        for (auto at = s.find(literal); at != std::string::npos; at = s.find(literal, at + 1)) {
            const bool starts = at == 0 || !part_of_number(s[at - 1]);
            const bool ends = at + literal.size() == s.size() || !part_of_number(s[at + literal.size()]);
            if (starts && ends) return true;
        }
        return false;
    }
    if (node.is_number()) return node.dump() == literal;
    if (!node.is_structured()) return false;  // a primitive iterates over itself
    for (const auto& child : node) {
        if (shows_literal(child, literal)) return true;
    }
    return false;
}

std::string keys_of(const json& rec) {
    std::string out;
    for (const auto& k : rec["index"]["keys"]) out += (out.empty() ? "" : ", ") + k.dump();
    return rec["index"]["table"].get<std::string>() + " (" + out + ")";
}

// Dexter's statement tests (test/statement_test.rb), with their literals.
const std::string kDexterStatements =
    "SELECT * FROM posts WHERE user_id = 1 AND blog_id = 2;\n"
    "SELECT * FROM posts WHERE user_id = 1 AND blog_id < 10;\n"
    "SELECT * FROM posts WHERE user_id = 1 ORDER BY blog_id LIMIT 1000;\n"
    "SELECT * FROM posts INNER JOIN blogs ON blogs.id = posts.blog_id WHERE blogs.id = 1;\n";

}  // namespace

TEST_CASE("a statement given alone is advised on by planner cost, its literals planned and never shown",
          "[integration][pg][index-set]") {
    const std::string conninfo = posts_database();
    const json literal = analyze_json(
        write_sql("literal.sql", "SELECT * FROM posts WHERE user_id = 7 AND blog_id = 417;\n"), conninfo);
    auto recs = index_recommendations(literal);
    REQUIRE(recs.size() == 1);
    const json& g = recs[0]["gain"];
    CHECK(g["method"] == "hypopg");
    CHECK(g["ms_total"].get<double>() == 0);  // no duration was given: no invented time
    CHECK(g["untimed_cost_saved"].get<double>() > 0);
    CHECK(g["cost_after"].get<double>() < g["cost_before"].get<double>() / 10);
    CHECK(g["method_detail"].get<std::string>().find("planner cost units") != std::string::npos);
    CHECK_FALSE(shows_literal(literal, "417"));
    CHECK(shows_literal(json{{"sql", "WHERE blog_id = 417"}}, "417"));  // the check itself can fail

    // The same statement with $n and no values: its generic plan, not a modelled time.
    const json generic = analyze_json(
        write_sql("generic.sql", "SELECT * FROM posts WHERE user_id = $1 AND blog_id = $2;\n"), conninfo);
    recs = index_recommendations(generic);
    REQUIRE(recs.size() == 1);
    CHECK(recs[0]["gain"]["method"] == "hypopg");
    CHECK(recs[0]["gain"]["ms_per_call"].get<double>() == 0);
    CHECK(recs[0]["gain"]["method_detail"].get<std::string>().find("generic plan") != std::string::npos);

    // Text: the gain in planner cost, said so.
    auto text = run_pgadvisor(
        "analyze " +
        shell_quoted(write_sql("literal.sql", "SELECT * FROM posts WHERE user_id = 7 AND blog_id = 417;\n").string()) +
        " --db " + shell_quoted(conninfo));
    CHECK(text.output.find("gain: planner cost") != std::string::npos);
    CHECK(text.output.find("no time to gain") == std::string::npos);
}

TEST_CASE("the proposed set is planned together: each statement counted once, the total is the set's",
          "[integration][pg][index-set]") {
    const std::string conninfo = posts_database();
    const json report = analyze_json(write_sql("dexter.sql", kDexterStatements), conninfo);
    const auto recs = index_recommendations(report);
    REQUIRE_FALSE(recs.empty());
    std::map<std::string, int> counted;  // fingerprint -> recommendations counting its saving
    for (const auto& r : recs) {
        const std::string detail = r["gain"]["method_detail"];
        INFO(keys_of(r) << ": " << detail);
        CHECK(detail.find("planned with all") != std::string::npos);
        for (const auto& s : r["statements"]) {
            const std::string fp = s["fingerprint"];
            if (detail.find(fp + " (1 calls): counted elsewhere") == std::string::npos) ++counted[fp];
        }
    }
    for (const auto& [fp, n] : counted) {
        INFO(fp);
        CHECK(n == 1);
    }
    const json& set = report["summary"]["index_set"];
    CHECK(set["indexes"].get<std::size_t>() == recs.size());
}

TEST_CASE("ANALYZE re-run five times gives the same proposal", "[integration][pg][index-set][stable]") {
    const std::string conninfo = posts_database();
    const fs::path sql = write_sql("dexter.sql", kDexterStatements);
    std::set<std::string> proposals;
    for (int run = 0; run < 5; ++run) {
        {
            pqxx::connection conn(conninfo);
            pqxx::nontransaction tx(conn);
            tx.exec("ANALYZE posts");  // a fresh random sample of 30,000 of the 100,000 rows
        }
        std::string proposal;
        for (const auto& r : index_recommendations(analyze_json(sql, conninfo))) proposal += keys_of(r) + "; ";
        proposals.insert(proposal);
    }
    INFO([&] {
        std::string all;
        for (const auto& p : proposals) all += p + "\n";
        return all;
    }());
    CHECK(proposals.size() == 1);
}

// index_advisor's materialized-view case: the live catalog read tables only, so
// a filter on a materialized view got no finding at all.
TEST_CASE("a materialized view is read from the live catalog and indexed like a table",
          "[integration][pg][index-set]") {
    const std::string conninfo = posts_database();
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE MATERIALIZED VIEW posts_view AS SELECT id, blog_id, user_id FROM posts");
        tx.exec("ANALYZE posts_view");
    }
    const json report = analyze_json(write_sql("view.sql", "SELECT id FROM posts_view WHERE blog_id = 17;\n"),
                                     conninfo);
    const auto recs = index_recommendations(report);
    REQUIRE(recs.size() == 1);
    CHECK(recs[0]["index"]["table"] == "posts_view");
    const std::string sql = recs[0]["sql"];
    INFO(sql);
    // The proposal builds on the server as written.
    pqxx::connection conn(conninfo);
    pqxx::nontransaction tx(conn);
    tx.exec(sql);
    CHECK(tx.exec("SELECT 1 FROM pg_indexes WHERE tablename = 'posts_view'").size() == 1);
}
