// The workload stage on a log captured from a real PostgreSQL 15 server
// (tests/fixtures/workload/gen-shop-log.sh says what each session ran).
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "ingest/ingest.hpp"
#include "sql/shape.hpp"
#include "workload/workload.hpp"

using namespace pgadvisor;
using namespace pgadvisor::workload;

namespace {

const std::string kShopLog = std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log";

struct Seen {
    std::string text, session, transaction, request, route, app;
    std::vector<LiteralValue> values;
    std::string fingerprint;
};

Workload build(const std::string& path, std::vector<Seen>* seen = nullptr) {
    WorkloadBuilder builder({}, [&](const Execution& e) {
        if (!seen) return;
        auto route = e.tags.find("route");
        seen->push_back({e.statement.text, e.session, e.transaction, e.request,
                         route == e.tags.end() ? "" : route->second, e.statement.application, e.values,
                         e.shape.fingerprint});
    });
    ingest::IngestOptions options;
    options.inputs = {path};
    auto report = ingest::ingest(options, [&](ingest::Statement&& s) { builder.add(s); });
    REQUIRE(report.issues.total() == 0);
    return builder.finish();
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

}  // namespace

TEST_CASE("sessions, shapes and aggregates from a captured log", "[workload]") {
    std::vector<Seen> seen;
    Workload w = build(kShopLog, &seen);
    // The psql session that creates the schema, the psql session of the
    // workload, and two pgbench sessions (one client each).
    CHECK(w.sessions == 4);
    std::set<std::string> sessions;
    for (const auto& s : seen) sessions.insert(s.session);
    CHECK(sessions.size() == 4);

    // The order_items lookup: 8 calls with constants (psql) and 7 with $1 (pgbench) share one fingerprint.
    const ShapeInfo* items = nullptr;
    for (const auto& s : w.shapes)
        if (s.shape && !s.shape->tables.empty() && s.shape->tables[0].name == "order_items" &&
            s.shape->kind == sql::StatementKind::Select)
            items = &s;
    REQUIRE(items);
    CHECK(items->stats.calls == 15);
    CHECK(items->stats.timed_calls == 15);
    CHECK(items->stats.total_ms > 0);
    CHECK(items->max_ms >= items->p95_ms);
    CHECK(items->p95_ms >= items->p50_ms);
    CHECK(items->p50_ms > 0);
    CHECK(items->first_ms > 0);
    CHECK(items->last_ms >= items->first_ms);
    CHECK(items->locations.size() == 5);  // the first few, by default
    CHECK(items->locations[0].file == kShopLog);
    CHECK(items->normalized.find("order_items") != std::string::npos);
    CHECK(items->samples.size() == 5);  // distinct parameter sets kept, capped
    // Capped lists take no slot past their cap (issue 17: memory per shape; doubling left 8).
    CHECK(items->locations.capacity() == 5);
    CHECK(w.total_ms > items->stats.total_ms);
    CHECK(w.span_ms > 0);
}

TEST_CASE("literal values come from constants and from bound parameters", "[workload]") {
    std::vector<Seen> seen;
    build(kShopLog, &seen);
    std::vector<std::string> constants, parameters;
    for (const auto& s : seen) {
        if (s.text.find("FROM order_items WHERE order_id") == std::string::npos) continue;
        REQUIRE(s.values.size() == 1);
        REQUIRE(s.values[0].known);
        REQUIRE(s.values[0].text);
        (s.text.find("$1") != std::string::npos ? parameters : constants).push_back(*s.values[0].text);
    }
    CHECK(constants == std::vector<std::string>{"6", "56", "106", "156", "206", "256", "306", "356"});
    CHECK(parameters.size() == 7);
    for (const auto& p : parameters) CHECK(std::stoi(p) >= 1);

    // Two-parameter statement: both values, in order.
    for (const auto& s : seen) {
        if (!starts_with(s.text, "SELECT quantity FROM cart_items")) continue;
        REQUIRE(s.values.size() == 2);
        CHECK(std::stoi(*s.values[0].text) >= 100);  // cart, random(100, 120)
        CHECK(std::stoi(*s.values[1].text) <= 90);   // product, random(1, 90)
    }
}

TEST_CASE("transactions: BEGIN ... COMMIT shares one key, autocommit statements do not", "[workload]") {
    std::vector<Seen> seen;
    Workload w = build(kShopLog, &seen);
    std::string select_tx, insert_tx, other_select_tx, other_insert_tx;
    for (const auto& s : seen) {
        if (starts_with(s.text, "SELECT 1 AS one FROM cart_items WHERE cart_id = 5")) select_tx = s.transaction;
        if (starts_with(s.text, "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (5, 9, 1)"))
            insert_tx = s.transaction;
        if (starts_with(s.text, "SELECT 1 AS one FROM cart_items WHERE cart_id = 6")) other_select_tx = s.transaction;
        if (starts_with(s.text, "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (6, 3, 1)"))
            other_insert_tx = s.transaction;
    }
    CHECK_FALSE(select_tx.empty());
    CHECK(select_tx == insert_tx);
    // Simple-protocol autocommit statements log vxid "N/0": no transaction to share.
    CHECK(other_select_tx.empty());
    CHECK(other_insert_tx.empty());
    CHECK(w.transactions >= 1);
}

TEST_CASE("requests: a traceparent groups the tagged statements, untagged ones have none", "[workload]") {
    std::vector<Seen> seen;
    Workload w = build(kShopLog, &seen);
    std::map<std::string, int> per_request;
    for (const auto& s : seen) {
        if (s.text.find("traceparent=") != std::string::npos) {
            CHECK(s.request == "trace:0af7651916cd43dd8448eb211c80319c");
            CHECK(s.route == "/customers/:id/orders");
        }
        if (s.app == "items") CHECK(s.request.empty());
        ++per_request[s.request];
    }
    CHECK(per_request["trace:0af7651916cd43dd8448eb211c80319c"] == 9);
    // The carts request (controller/action tags, no traceparent): BEGIN, SELECT, INSERT, COMMIT.
    int carts = 0;
    for (const auto& [req, n] : per_request)
        if (req.find("#req") != std::string::npos) carts += n;
    CHECK(carts == 4);
    // The rules tell a trace (any session of a pool) from a session's own request by its key alone.
    for (const auto& [req, n] : per_request)
        CHECK(is_trace_request(req) == (req == "trace:0af7651916cd43dd8448eb211c80319c"));
    CHECK(w.requests == 2);
}

TEST_CASE("literal_values leaves values unknown when an IN list has another length", "[workload]") {
    auto shape = sql::shape_statement("SELECT * FROM t WHERE a IN (1, 2) AND b = 'x'");
    REQUIRE(shape.shape);
    ingest::Statement same, longer;
    same.text = "SELECT * FROM t WHERE a IN (7, 8) AND b = 'it''s'";
    longer.text = "SELECT * FROM t WHERE a IN (7, 8, 9) AND b = 'y'";
    auto v = literal_values(*shape.shape, same);
    REQUIRE(v.size() == 3);
    CHECK(*v[0].text == "7");
    CHECK(*v[1].text == "8");
    CHECK(*v[2].text == "it's");
    for (const auto& x : literal_values(*shape.shape, longer)) CHECK_FALSE(x.known);
}

TEST_CASE("literal_values reads negative numbers and NULL", "[workload]") {
    auto shape = sql::shape_statement("UPDATE t SET a = -5, b = NULL WHERE id = 3");
    REQUIRE(shape.shape);
    ingest::Statement other;
    other.text = "UPDATE t SET a = -12, b = NULL WHERE id = 44";
    auto v = literal_values(*shape.shape, other);
    REQUIRE(v.size() == 3);
    CHECK(*v[0].text == "-12");
    CHECK(v[1].known);
    CHECK_FALSE(v[1].text);
    CHECK(*v[2].text == "44");
}

namespace {

ingest::Statement call(const std::string& session, const std::string& text) {
    ingest::Statement s;
    s.session_id = session;
    s.text = text;
    s.duration_ms = 1;
    return s;
}

}  // namespace

TEST_CASE("parameter_values: the statement's $n first, then its constants in order; nullopt when one is missing",
          "[workload]") {
    auto shape = sql::shape_statement("SELECT * FROM t WHERE a = $2 AND b = 'x' AND c = $1 AND d = 7");
    REQUIRE(shape.shape);
    REQUIRE(shape.shape->literals.size() == 4);
    ingest::Statement call;
    call.text = "SELECT * FROM t WHERE a = $2 AND b = 'y' AND c = $1 AND d = 8";
    call.parameters = {{1, std::string("one")}, {2, std::nullopt}};
    auto values = literal_values(*shape.shape, call);
    auto p = parameter_values(*shape.shape, values);
    REQUIRE(p);
    REQUIRE(p->size() == 4);
    CHECK((*p)[0] == "one");
    CHECK_FALSE((*p)[1]);  // $2 = NULL
    CHECK((*p)[2] == "y");
    CHECK((*p)[3] == "8");
    // A value that could not be read, or a $n no literal gives: no parameter set.
    values[3].known = false;
    CHECK_FALSE(parameter_values(*shape.shape, values));
    auto gap = sql::shape_statement("SELECT * FROM t WHERE a = $3 AND b = $1");
    REQUIRE(gap.shape);
    ingest::Statement gap_call;
    gap_call.text = "SELECT * FROM t WHERE a = $3 AND b = $1";
    gap_call.parameters = {{1, std::string("a")}, {3, std::string("c")}};
    CHECK_FALSE(parameter_values(*gap.shape, literal_values(*gap.shape, gap_call)));
}

TEST_CASE("constant_literals: a value every call gave, over every call, not only the samples", "[workload]") {
    WorkloadBuilder builder;
    // Status is the same in every call; the LIMIT too; customer_id varies. More calls
    // than samples_per_shape keeps distinct sets: the last one still counts.
    for (int i = 0; i < 8; ++i)
        builder.add(call(i % 2 ? "s1" : "s2", "SELECT id FROM jobs WHERE status = 'queued' AND customer_id = " +
                                                  std::to_string(i) + " LIMIT 20"));
    builder.add(call("s1", "SELECT id FROM jobs WHERE status = 'failed' AND customer_id = 1 LIMIT 20"));
    builder.add(call("s3", "SELECT id FROM other WHERE kind = 'a'"));
    const Workload w = builder.finish();
    REQUIRE(w.shapes.size() == 2);
    const ShapeInfo& jobs = w.shapes[0];
    REQUIRE(jobs.constant_literals.size() == 3);
    CHECK_FALSE(jobs.constant_literals[0].constant());  // 'queued' 8 times, then 'failed' once
    CHECK_FALSE(jobs.constant_literals[1].constant());
    REQUIRE(jobs.constant_literals[2].constant());
    CHECK(*jobs.constant_literals[2].value == "20");
    CHECK(jobs.samples.size() == 5);  // the samples stop at 5; the constancy saw all 9 calls
    CHECK(jobs.spread.calls == 9);
    CHECK(jobs.spread.sessions == 2);
    CHECK(jobs.spread.requests == 0);  // untagged
    const ShapeInfo& other = w.shapes[1];
    REQUIRE(other.constant_literals.size() == 1);
    CHECK(other.constant_literals[0].constant());
    CHECK(other.spread.calls == 1);
    CHECK(other.spread.sessions == 1);
}

TEST_CASE("literal_values reads each of 65,535 bind parameters by its number", "[workload]") {
    // Issue 16, "Time": the parameters were walked once per literal (quadratic: 65,535 of
    // them took seconds); tests/hostile-sizes/check times a larger log. The parameters are
    // logged in reverse order and $7 twice, so only the number can match them: the last
    // value logged for a number wins, as before.
    constexpr int kParams = 65535;
    std::string sql = "SELECT * FROM t WHERE a IN (";
    for (int i = 1; i <= kParams; ++i) sql += (i > 1 ? ", $" : "$") + std::to_string(i);
    sql += ")";
    auto shape = sql::shape_statement(sql);
    REQUIRE(shape.shape);
    ingest::Statement s;
    s.text = sql;
    for (int i = kParams; i >= 1; --i) s.parameters.push_back({i, "v" + std::to_string(i)});
    s.parameters.push_back({7, std::nullopt});
    const auto values = literal_values(*shape.shape, s);
    REQUIRE(values.size() == kParams);
    for (int i = 1; i <= kParams; i += 331) {
        INFO("$" << i);
        REQUIRE(values[static_cast<std::size_t>(i - 1)].known);
        CHECK(values[static_cast<std::size_t>(i - 1)].text == "v" + std::to_string(i));
    }
    CHECK(values[6].known);
    CHECK_FALSE(values[6].text);  // $7 = NULL, logged last
}

TEST_CASE("literal_values: parameters logged $1, $2, ... in order are read by place; a number logged again wins",
          "[workload]") {
    auto shape = sql::shape_statement("SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3");
    REQUIRE(shape.shape);
    ingest::Statement s;
    s.text = "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3";
    s.parameters = {{1, std::string("a")}, {2, std::string("b")}};
    auto values = literal_values(*shape.shape, s);
    REQUIRE(values.size() == 3);
    CHECK(values[0].text == "a");
    CHECK(values[1].text == "b");
    CHECK_FALSE(values[2].known);  // $3 was not logged
    s.parameters.push_back({1, std::string("again")});
    values = literal_values(*shape.shape, s);
    CHECK(values[0].text == "again");
    CHECK(values[1].text == "b");
    CHECK_FALSE(values[2].known);
}

// Issue 18: a pg_stat_statements export has no sessions; its rows were counted as one
// (keyed by their file), and the summary said "1 sessions".
TEST_CASE("pg_stat_statements rows name no session and count none", "[workload]") {
    Workload w = build(std::string(PGADVISOR_TEST_FIXTURES) + "/ingest/pgss-pg13.csv");
    REQUIRE(w.summary.statements > 0);
    CHECK(w.sessions == 0);
}

// A statement's values come from the shape key's own pass where it is sure
// (issue 17); they must be what libpg_query's scanner gives, execution by execution.
TEST_CASE("each execution's values are literal_values' over real logs", "[workload]") {
    long compared = 0;
    for (const std::string& path :
         {kShopLog, std::string(PGADVISOR_SHARED_CORPUS) + "/logs/pgbadger/light.postgres.log",
          std::string(PGADVISOR_SHARED_CORPUS) + "/logs/pgbadger/rds.log",
          std::string(PGADVISOR_TEST_FIXTURES) + "/pg15-workload.log"}) {
        WorkloadBuilder builder({}, [&](const Execution& e) {
            if (!e.shape.shape) return;
            INFO(e.statement.text);
            const auto expected = literal_values(*e.shape.shape, e.statement);
            REQUIRE(e.values.size() == expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                CHECK(e.values[i].known == expected[i].known);
                CHECK(e.values[i].text == expected[i].text);
            }
            compared += static_cast<long>(expected.size());
        });
        ingest::IngestOptions options;
        options.inputs = {path};
        ingest::ingest(options, [&](ingest::Statement&& s) { builder.add(s); });
        builder.finish();
    }
    CHECK(compared > 1000);
}

TEST_CASE("an open session's slot is its own, and an ended session's goes to a later one", "[workload]") {
    std::vector<std::pair<std::string, std::size_t>> executed, ended;
    WorkloadBuilder builder(
        {},
        [&](const Execution& e) {
            executed.push_back({e.session, e.session_slot});
        },
        [&](const std::string& session, std::size_t slot) {
            ended.push_back({session, slot});
        });
    auto run = [&](const std::string& session) {
        ingest::Statement s;
        s.session_id = session;
        s.text = "SELECT 1";
        builder.add(s);
    };
    auto end = [&](const std::string& session) {
        ingest::SessionEnd e;
        e.session_id = session;
        builder.end_session(e);
    };
    run("a");
    run("b");
    run("a");
    end("never-ran");  // no statement, nothing kept: the rules are not told
    end("a");
    run("c");  // a's slot, once a is over
    run("b");
    end("b");
    end("c");
    run("d");
    const std::vector<std::pair<std::string, std::size_t>> want_executed = {{"a", 0}, {"b", 1}, {"a", 0},
                                                                            {"c", 0}, {"b", 1}, {"d", 0}};
    CHECK(executed == want_executed);
    const std::vector<std::pair<std::string, std::size_t>> want_ended = {{"a", 0}, {"b", 1}, {"c", 0}};
    CHECK(ended == want_ended);
    CHECK(builder.open_sessions() == 1);
}
