// The one Finding -> JSON serializer: the JSON report and `lint --format json`
// both print findings through it, so every field is there in both.
#include <catch2/catch.hpp>

#include "emit/finding_json.hpp"

using namespace pgadvisor;

TEST_CASE("finding_json writes every field of a finding", "[emit][json]") {
    rules::Finding f;
    f.rule_id = "seq-scan";
    f.severity = rules::Severity::Error;
    f.confidence = rules::Confidence::High;
    f.title = "Sequential scan on orders";
    f.schema = "public";
    f.table = "orders";
    f.rewrite_sql = "SELECT 1";
    f.key = "seq-scan:public.orders";
    f.locations.push_back({"app.log", 12, 14});
    rules::StatementEvidence st;
    st.fingerprint = "abc";
    st.normalized = "SELECT * FROM orders WHERE status = $1";
    st.calls = 7;
    f.statements.push_back(st);
    rules::IndexNeed need;
    need.table = "orders";
    need.equality_columns = {"status"};
    need.range_column = "created_at";
    need.order_columns = {"id"};
    f.index_needs.push_back(need);

    const auto j = emit::finding_json(f, {2});
    CHECK(j["rule"] == "seq-scan");
    CHECK(j["severity"] == "error");
    CHECK(j["confidence"] == "high");
    CHECK(j["rewrite_sql"] == "SELECT 1");
    CHECK(j["key"] == "seq-scan:public.orders");
    CHECK(j["locations"][0] == nlohmann::json({{"file", "app.log"}, {"first_line", 12}, {"last_line", 14}}));
    CHECK(j["statements"][0]["normalized"] == "SELECT * FROM orders WHERE status = $1");
    CHECK(j["statements"][0]["calls"] == 7);
    CHECK(j["index_needs"][0]["range_column"] == "created_at");
    CHECK(j["index_needs"][0]["order_columns"] == nlohmann::json::array({"id"}));
    CHECK(j["recommendations"] == nlohmann::json::array({2}));
    for (const char* field : {"title", "explanation", "session", "transaction", "request", "schema", "table", "fix",
                              "fix_sql", "estimated_gain_ms", "gain_method"})
        CHECK(j.contains(field));
}

TEST_CASE("finding_json without recommendations (lint) has an empty list", "[emit][json]") {
    rules::Finding f;
    f.rule_id = "index-not-concurrently";
    const auto j = emit::finding_json(f);
    CHECK(j["recommendations"] == nlohmann::json::array());
    CHECK(j["index_needs"] == nlohmann::json::array());
}
