// One workload on the throwaway server, logged to stderr, csvlog and jsonlog at
// once (tests/pg/throwaway-pg): the three files must give the same statements,
// session by session, and `pgadvisor ingest` must read them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "ingest/ingest.hpp"
#include "throwaway_pg.hpp"

using namespace pgadvisor::test;
using namespace pgadvisor::ingest;

namespace {
// A file's statements, by session; with a `marker`, only the sessions that ran a
// statement naming it: the shared server's logs also hold other tests' sessions,
// written while the three files are read one after the other (a whole file then
// differs from another by their lines: a flaky failure under ctest -j).
std::vector<Statement> read_all(const std::string& path, Format f, Issues& issues, const std::string& marker = "") {
    std::vector<Statement> all;
    ingest_file(path, f, std::nullopt, issues, [&](Statement&& s) { all.push_back(std::move(s)); });
    std::set<std::string> ours;
    for (const auto& s : all)
        if (s.text.find(marker) != std::string::npos) ours.insert(s.session_id);
    std::vector<Statement> out;
    for (auto& s : all)
        if (marker.empty() || ours.count(s.session_id)) out.push_back(std::move(s));
    // Concurrent sessions interleave differently per destination; order within a session is the server's.
    std::stable_sort(out.begin(), out.end(),
                     [](const Statement& a, const Statement& b) { return a.session_id < b.session_id; });
    return out;
}
}  // namespace

TEST_CASE("live server: stderr, csvlog and jsonlog of one workload give identical statement streams",
          "[integration][pg][ingest]") {
    const auto& pg = throwaway_pg();
    const std::string marker = "ingest_marker_" + std::to_string(std::random_device{}());
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("SET application_name = 'ingest-it'");
        tx.exec("CREATE TEMP TABLE items (id int PRIMARY KEY, note text)");
        tx.exec("INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 200) g");
        tx.exec("SELECT id,\n       note\n  FROM items\n WHERE id = 5");  // multi-line
        tx.exec("SET auto_explain.log_min_duration = 0");
        tx.exec("SET auto_explain.log_format = 'json'");
        tx.exec("SELECT count(*) FROM items WHERE note LIKE 'n1%'");
        tx.exec("SET auto_explain.log_min_duration = -1");
        try {
            tx.exec("SELECT * FROM no_such_table_" + marker);
        } catch (const pqxx::sql_error&) {
        }
    }
    {
        pqxx::connection conn(pg.conninfo());
        conn.prepare("by_id", "SELECT relname FROM pg_class WHERE oid = $1::int::oid OR $1 < 0");
        pqxx::work tx(conn);
        for (int i = 0; i < 5; ++i) tx.exec_prepared("by_id", i);
        tx.exec("SELECT '" + marker + "'");
        tx.commit();
    }
    // A statement of a later session: once each file has it, each has every line of the two above
    // (the collector writes each destination in order), their COMMIT included.
    const std::string done = "ingest_done_" + std::to_string(std::random_device{}());
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction(conn).exec("SELECT '" + done + "'");
    }
    for (const auto& f : {pg.stderr_log, pg.csv_log, pg.json_log}) REQUIRE(wait_for_log(f, 0, done + "'") != "");

    Issues ie, ic, ij;
    auto e = read_all(pg.stderr_log, Format::Stderr, ie, marker);
    auto c = read_all(pg.csv_log, Format::Csvlog, ic, marker);
    auto j = read_all(pg.json_log, Format::Jsonlog, ij, marker);
    INFO("stderr " << e.size() << ", csv " << c.size() << ", json " << j.size());
    REQUIRE(e.size() >= 12);
    REQUIRE(c.size() == e.size());
    REQUIRE(j.size() == e.size());
    for (std::size_t i = 0; i < e.size(); ++i) {
        INFO("record " << i << ": " << e[i].text);
        for (const auto* o : {&c[i], &j[i]}) {
            CHECK(o->text == e[i].text);
            CHECK(o->session_id == e[i].session_id);
            CHECK(o->pid == e[i].pid);
            CHECK(o->user == e[i].user);
            CHECK(o->database == e[i].database);
            CHECK(o->application == e[i].application);
            CHECK(o->vxid == e[i].vxid);
            CHECK(o->xid == e[i].xid);
            CHECK(o->duration_ms == e[i].duration_ms);
            CHECK(o->severity == e[i].severity);
            CHECK(o->error_message == e[i].error_message);
            CHECK(o->prepared_name == e[i].prepared_name);
            REQUIRE(o->parameters.size() == e[i].parameters.size());
            for (std::size_t k = 0; k < o->parameters.size(); ++k)
                CHECK(o->parameters[k].value == e[i].parameters[k].value);
            CHECK(static_cast<bool>(o->plan) == static_cast<bool>(e[i].plan));
        }
    }
    // What this workload must have produced, in each file.
    auto has = [&](auto pred) { return std::any_of(e.begin(), e.end(), pred); };
    CHECK(has([](const Statement& s) { return s.text == "SELECT id,\n       note\n  FROM items\n WHERE id = 5"; }));
    CHECK(has([](const Statement& s) { return s.plan && s.text.find("note LIKE 'n1%'") != std::string::npos; }));
    CHECK(has([&](const Statement& s) {
        return s.severity == "ERROR" && s.text.find("no_such_table_" + marker) != std::string::npos;
    }));
    CHECK(has([](const Statement& s) {
        return s.prepared_name == "by_id" && s.parameters.size() == 1 && s.parameters[0].value == "4";
    }));
    // The shared log may hold the lines of the fake application_name test below, flagged and read.
    CHECK(ie.total() == ie.count(issue::kTwoSeverityMarkers));
    CHECK(ic.total() == 0);
    CHECK(ij.total() == 0);
}

TEST_CASE("pgadvisor ingest reads the server's csvlog and stdin; a missing file exits 2", "[integration][pg][ingest]") {
    const auto& pg = throwaway_pg();
    const std::string cmd = std::string(PGADVISOR_BINARY) + " ingest --json " + pg.csv_log + " > /dev/null";
    CHECK(std::system(cmd.c_str()) == 0);
    // Standard input, zstd-compressed, end to end through the JSON summary.
    const std::string in = std::string(PGADVISOR_BINARY) + " ingest --json - < " + PGADVISOR_TEST_FIXTURES +
                           "/ingest/small.log.zst";
    std::string out;
    if (FILE* p = popen(in.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        CHECK(pclose(p) == 0);
    }
    auto j = nlohmann::json::parse(out, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    CHECK(j["statements"] == 89);  // see tests/fixtures/ingest/SOURCE.md and log_formats_test.cpp
    CHECK(j["errors"] == 2);
    CHECK(j["files"][0]["compression"] == "zstd");
    CHECK(j["files"][0]["path"] == "-");
    const std::string bad = std::string(PGADVISOR_BINARY) + " ingest /nonexistent/file.log 2> /dev/null";
    int rc = std::system(bad.c_str());
    CHECK(WEXITSTATUS(rc) == 2);
}

TEST_CASE("live server ingest: an application_name holding a fake duration line does not hide the real statement",
          "[integration][pg][ingest]") {
    // The server's prefix ends in "app=%a,client=%h " (tests/pg/throwaway-pg); this name closes it early.
    const std::string fake = "x,client=h LOG:  duration: 9999.000 ms  statement: SELECT 1--";  // 61 bytes
    const std::string marker = "fake_app_marker_" + std::to_string(std::random_device{}());
    const auto& pg = throwaway_pg();
    const std::vector<std::pair<std::string, Format>> logs = {{pg.stderr_log, Format::Stderr},
                                                              {pg.csv_log, Format::Csvlog},
                                                              {pg.json_log, Format::Jsonlog}};
    std::vector<std::size_t> offsets;
    for (const auto& [path, _] : logs) offsets.push_back(file_size(path));
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("SET application_name = '" + fake + "'");
        tx.exec("SELECT relname FROM pg_class WHERE relname = '" + marker + "'");
    }
    for (std::size_t i = 0; i < logs.size(); ++i) {
        const auto& [path, format] = logs[i];
        INFO(format_name(format));
        REQUIRE(wait_for_log(path, offsets[i], marker + "'") != "");
        // Only what this test logged: other tests share the server.
        const std::string slice = (std::filesystem::temp_directory_path() /
                                   ("pgadvisor-fake-app-" + marker + "." + format_name(format)))
                                      .string();
        std::ofstream(slice) << read_file(path, offsets[i]);
        Issues issues;
        auto got = read_all(slice, format, issues);
        auto real = std::find_if(got.begin(), got.end(), [&](const Statement& s) {
            return s.text == "SELECT relname FROM pg_class WHERE relname = '" + marker + "'";
        });
        REQUIRE(real != got.end());
        CHECK(real->application == fake);
        CHECK(real->duration_ms < 9999);
        CHECK(std::none_of(got.begin(), got.end(), [](const Statement& s) { return s.duration_ms >= 9999; }));
        // stderr flags the lines that read two ways; csvlog and jsonlog have nothing to flag.
        // (the SET line, the SELECT and the disconnection each hold the name).
        if (format == Format::Stderr) CHECK(issues.count(issue::kTwoSeverityMarkers) >= 1);
        else CHECK(issues.total() == 0);
        std::filesystem::remove(slice);
    }
}
