// The same PostgreSQL 15 workload written as stderr, csvlog and jsonlog at once
// (tests/fixtures/ingest/SOURCE.md): the three readers must give the same records.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ingest/assembler.hpp"
#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {
const Statement* find_text(const std::vector<Statement>& v, const std::string& needle) {
    for (const auto& s : v)
        if (s.text.find(needle) != std::string::npos) return &s;
    return nullptr;
}
}  // namespace

TEST_CASE("stderr, csvlog and jsonlog of one workload give identical statement streams", "[ingest][formats]") {
    auto e = ingest_path(fixture("pg15-workload.log"));
    auto c = ingest_path(fixture("pg15-workload.csv"));
    auto j = ingest_path(fixture("pg15-workload.json"));
    CHECK(e.report.format == Format::Stderr);
    CHECK(c.report.format == Format::Csvlog);
    CHECK(j.report.format == Format::Jsonlog);
    // 84 "duration: .. ms  statement|execute" + 4 log_statement lines + 1 ERROR/STATEMENT
    // pair whose statement was not logged before (grep -c; see SOURCE.md).
    REQUIRE(e.statements.size() == 89);
    REQUIRE(c.statements.size() == e.statements.size());
    REQUIRE(j.statements.size() == e.statements.size());
    // Backends write each destination separately, so lines of concurrent
    // sessions interleave differently in the three files; within a session
    // the order is the server's. Compare session by session.
    for (auto* v : {&e.statements, &c.statements, &j.statements})
        std::stable_sort(v->begin(), v->end(),
                         [](const Statement& a, const Statement& b) { return a.session_id < b.session_id; });
    for (std::size_t i = 0; i < e.statements.size(); ++i) {
        INFO("record " << i << " line " << e.statements[i].source.first_line);
        for (const auto* o : {&c.statements[i], &j.statements[i]}) {
            CHECK(o->text == e.statements[i].text);
            CHECK(o->pid == e.statements[i].pid);
            CHECK(o->session_id == e.statements[i].session_id);
            CHECK(o->user == e.statements[i].user);
            CHECK(o->database == e.statements[i].database);
            CHECK(o->application == e.statements[i].application);
            CHECK(o->vxid == e.statements[i].vxid);
            CHECK(o->xid == e.statements[i].xid);
            CHECK(o->duration_ms == e.statements[i].duration_ms);
            CHECK(o->severity == e.statements[i].severity);
            CHECK(o->prepared_name == e.statements[i].prepared_name);
            CHECK(o->parameters.size() == e.statements[i].parameters.size());
            CHECK(static_cast<bool>(o->plan) == static_cast<bool>(e.statements[i].plan));
            CHECK(o->epoch_ms == e.statements[i].epoch_ms);
            CHECK(o->error_message == e.statements[i].error_message);
        }
    }
    CHECK(e.issues.total() == 0);
    CHECK(c.issues.total() == 0);
    CHECK(j.issues.total() == 0);
}

TEST_CASE("auto_explain plans in text and JSON are attached to their statement", "[ingest][formats][explain]") {
    auto e = ingest_path(fixture("pg15-workload.log"));
    const auto* text_plan = find_text(e.statements, "WHERE customer_id = 42");
    REQUIRE(text_plan);
    REQUIRE(text_plan->plan);
    CHECK(text_plan->plan->format == "text");
    CHECK(text_plan->plan->root.node_type == "Aggregate");
    REQUIRE(text_plan->plan->root.children.size() == 1);
    const auto& scan = text_plan->plan->root.children[0];
    CHECK(scan.node_type == "Seq Scan");
    CHECK(scan.relation == "orders");
    CHECK(scan.filter == "(customer_id = 42)");
    CHECK(*scan.rows_removed_by_filter == 4950);
    CHECK(scan.buffers.shared_hit == 28);
    // The statement's own duration line (1.954 ms) wins over the plan's (0.452 ms).
    CHECK(*text_plan->duration_ms == Approx(1.954));

    const auto* multi = find_text(e.statements, "WHERE o.id = 7");
    REQUIRE(multi);
    CHECK(multi->text == "SELECT o.id, o.note\n  FROM orders o\n WHERE o.id = 7;");
    REQUIRE(multi->plan);
    CHECK(multi->plan->root.node_type == "Index Scan");
    CHECK(multi->plan->root.index_name == "orders_pkey");
    CHECK(multi->plan->root.alias == "o");
    CHECK(multi->plan->root.index_cond == "(id = 7)");
    CHECK(multi->source.first_line == 30);  // sed -n 30,32p: "statement: SELECT o.id, o.note" + 2 tab lines
    CHECK(multi->source.last_line == 32);

    const auto* json_plan = find_text(e.statements, "customer_id = 43");
    REQUIRE(json_plan);
    REQUIRE(json_plan->plan);
    CHECK(json_plan->plan->format == "json");
    REQUIRE(json_plan->plan->root.children.size() == 1);
    CHECK(json_plan->plan->root.children[0].relation == "orders");
    CHECK(json_plan->plan->root.children[0].filter == "((note <> 'x'::text) AND (customer_id = 43))");
}

TEST_CASE("log_statement lines take their separate log_duration line; errors are marked", "[ingest][formats]") {
    auto e = ingest_path(fixture("pg15-workload.log"));
    const auto* sel = find_text(e.statements, "WHERE id = 99");
    REQUIRE(sel);
    REQUIRE(sel->duration_ms);
    CHECK(*sel->duration_ms == Approx(0.196));  // line 100, right after the statement on line 99
    CHECK(sel->source.first_line == 99);
    CHECK(sel->source.last_line == 100);
    CHECK(sel->severity.empty());
    const auto* upd = find_text(e.statements, "UPDATE orders SET note");
    REQUIRE(upd);
    CHECK(upd->text == "UPDATE orders SET note = 'it''s' WHERE id = 3;");
    CHECK(*upd->duration_ms == Approx(0.578));
    // SELECT 1/0 was logged by log_statement, then failed: one record, marked.
    long div = 0;
    for (const auto& s : e.statements) div += s.text == "SELECT 1/0;";
    CHECK(div == 1);
    const auto* dz = find_text(e.statements, "SELECT 1/0;");
    REQUIRE(dz);
    CHECK(dz->severity == "ERROR");
    CHECK(dz->error_message == "division by zero");
    CHECK_FALSE(dz->duration_ms);
    const auto* missing = find_text(e.statements, "missing_table");
    REQUIRE(missing);
    CHECK(missing->severity == "ERROR");
    // stderr says "... does not exist at character 15"; the position is dropped (csvlog keeps it apart).
    CHECK(missing->error_message == "relation \"missing_table\" does not exist");
    CHECK(missing->session_id == "6b03fc6f.3152");
}

TEST_CASE("extended protocol: execute records carry their bind parameters", "[ingest][formats]") {
    auto e = ingest_path(fixture("pg15-workload.log"));
    const Statement* upd = nullptr;
    for (const auto& s : e.statements)
        if (s.source.first_line == 147) upd = &s;
    REQUIRE(upd);  // line 147: execute <unnamed>: UPDATE pgbench_accounts ..., DETAIL on 148
    CHECK(upd->prepared_name == "<unnamed>");
    CHECK(upd->application == "bench");
    CHECK(upd->xid == 739);
    CHECK(upd->vxid == "3/52");
    REQUIRE(upd->parameters.size() == 2);
    CHECK(upd->parameters[0].number == 1);
    CHECK(*upd->parameters[0].value == "-676");
    CHECK(*upd->parameters[1].value == "93664");
    CHECK(upd->source.last_line == 148);
}

TEST_CASE("bind parameters: NULL, quotes, newlines; malformed text is refused", "[ingest]") {
    std::vector<BindParameter> p;
    REQUIRE(parse_parameters("parameters: $1 = '42', $2 = NULL, $3 = 'it''s\n\tx'", p));
    REQUIRE(p.size() == 3);
    CHECK(*p[0].value == "42");
    CHECK_FALSE(p[1].value);
    CHECK(*p[2].value == "it's\n\tx");
    // Quotes at either end of a value, and an empty one.
    std::vector<BindParameter> edges;
    REQUIRE(parse_parameters("parameters: $1 = '''a''', $2 = '', $3 = '''', $4 = 'b'", edges));
    REQUIRE(edges.size() == 4);
    CHECK(*edges[0].value == "'a'");
    CHECK(*edges[1].value == "");
    CHECK(*edges[2].value == "'");
    CHECK(*edges[3].value == "b");
    std::vector<BindParameter> bad;
    CHECK_FALSE(parse_parameters("parameters: $1 = 'unterminated", bad));
    CHECK_FALSE(parse_parameters("parameters: $1 = 'ends in a doubled quote''", bad));
    CHECK_FALSE(parse_parameters("parameters: 1 = '2'", bad));
    CHECK_FALSE(parse_parameters("no parameters here", bad));
}

TEST_CASE("gzip and zstd files are read like the plain file", "[ingest][compression]") {
    auto plain = ingest_path(fixture("pg15-workload.log"));
    auto gz = ingest_path(fixture("small.log.gz"));
    auto zst = ingest_path(fixture("small.log.zst"));
    CHECK(gz.report.compression == "gzip");
    CHECK(zst.report.compression == "zstd");
    REQUIRE(gz.statements.size() == plain.statements.size());
    REQUIRE(zst.statements.size() == plain.statements.size());
    for (std::size_t i = 0; i < plain.statements.size(); ++i) {
        CHECK(gz.statements[i].text == plain.statements[i].text);
        CHECK(zst.statements[i].source.first_line == plain.statements[i].source.first_line);
    }
    CHECK(gz.issues.total() == 0);
    CHECK(zst.issues.total() == 0);
}

TEST_CASE("jsonlog escapes: \\n, \\t, quotes, \\u00e9 and surrogate pairs decode like a JSON parser",
          "[ingest][formats]") {
    auto tmp = std::filesystem::temp_directory_path() / "pgadvisor-json-escapes.json";
    {
        std::ofstream out(tmp);
        out << R"({"timestamp":"2024-05-01 10:00:00.000 UTC","pid":7,"session_id":"a.7","error_severity":"LOG",)"
            << R"("message":"duration: 1.000 ms  statement: SELECT 'caf\u00e9 \ud83d\ude00',\n\t\"x\" \\ \/"})"
            << "\n"
            << R"({"timestamp":"2024-05-01 10:00:01.000 UTC","pid":7,"error_severity":"LOG","message":"duration: 1.000 ms  statement: SELECT 1","extra":{"nested":true}})"
            << "\n";
    }
    auto r = ingest_path(tmp.string());
    REQUIRE(r.statements.size() == 2);
    CHECK(r.statements[0].text == "SELECT 'caf\xc3\xa9 \xf0\x9f\x98\x80',\n\t\"x\" \\ /");
    CHECK(r.statements[0].session_id == "a.7");
    CHECK(r.statements[1].text == "SELECT 1");  // nested object: the general parser reads it
    CHECK(r.issues.total() == 0);
    std::filesystem::remove(tmp);
}

TEST_CASE("extended protocol: the auto_explain plan logged after its execute line is that execution's plan",
          "[ingest][formats][explain]") {
    auto e = ingest_path(fixture("pg15-extended-plan-after-execute.log"));
    CHECK(e.issues.total() == 0);
    std::size_t calls = 0;
    for (const auto& s : e.statements) calls += s.text.find("customer_id = $1 AND status = $2") != std::string::npos;
    CHECK(calls == 1);  // one execution, not one more for its plan
    const auto* slow = find_text(e.statements, "customer_id = $1 AND status = $2");
    REQUIRE(slow);
    CHECK(*slow->duration_ms == Approx(19.526));  // the execute line's duration
    REQUIRE(slow->parameters.size() == 2);
    REQUIRE(slow->plan);
    CHECK(slow->plan->format == "json");
    // The statements after it keep their order and get no plan.
    REQUIRE(e.statements.size() >= 3);
    CHECK(e.statements[0].text.find("status = $2") != std::string::npos);
    CHECK(e.statements[1].text == "BEGIN");
    CHECK(e.statements[2].text.find("daily_counters") != std::string::npos);
    CHECK_FALSE(e.statements[2].plan);
}

TEST_CASE("extended protocol: a plan logged after the next statement's parse line still belongs to the execute before",
          "[ingest][formats][explain]") {
    auto e = ingest_path(fixture("pg15-extended-plan-after-next-parse.log"));
    CHECK(e.issues.total() == 0);
    REQUIRE(e.statements.size() == 2);  // the SELECT (with its plan) and the INSERT; no third record for the plan
    CHECK(e.statements[0].text.rfind("SELECT quantity FROM cart_items", 0) == 0);
    CHECK(*e.statements[0].duration_ms == Approx(6.167));
    REQUIRE(e.statements[0].plan);
    CHECK(e.statements[1].text.rfind("INSERT INTO cart_items", 0) == 0);
    CHECK_FALSE(e.statements[1].plan);
    CHECK(e.statements[1].parameters.size() == 3);
}
