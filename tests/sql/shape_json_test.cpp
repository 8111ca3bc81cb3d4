// QueryShape and ParseError as JSON: snake_case fields, enum strings from
// to_string(), literal values only when asked.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "sql/shape.hpp"
#include "sql/shape_json.hpp"

using namespace pgadvisor::sql;

TEST_CASE("shape JSON mirrors the struct and hides literal values by default", "[sql][shape][json]") {
    auto r = shape_statement(
        "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE c.email = 'ann@example.com' AND o.id = $1 AND o.note IS NULL ORDER BY o.id DESC LIMIT 5");
    REQUIRE(r.shape);
    const auto j = to_json(*r.shape);
    CHECK(j["kind"] == "select");
    CHECK(j["node_type"] == "SelectStmt");
    CHECK_FALSE(j.contains("text"));  // the text holds the literal values
    REQUIRE(j["tables"].size() == 2);
    CHECK(j["tables"][1]["name"] == "customers");
    CHECK(j["tables"][1]["alias"] == "c");
    CHECK(j["tables"][1]["schema"] == "");
    CHECK(j["tables"][1]["written"] == false);
    REQUIRE(j["predicates"].size() == 4);
    CHECK(j["predicates"][0]["column"]["table"] == 1);
    CHECK(j["predicates"][0]["column"]["qualifier"] == "c");
    CHECK(j["predicates"][0]["in_join"] == true);
    CHECK(j["predicates"][1]["cls"] == "equality");
    CHECK(j["predicates"][1]["operand"] == "constant");
    CHECK(j["predicates"][1]["literal_index"] == 0);
    CHECK(j["predicates"][2]["operand"] == "parameter");
    CHECK(j["predicates"][2]["param_number"] == 1);
    CHECK(j["predicates"][3]["cls"] == "is-null");
    CHECK(j["joins"][0]["left"]["column"] == "id");
    CHECK(j["joins"][0]["right"]["column"] == "customer_id");
    CHECK(j["order_by"][0]["direction"] == "desc");
    CHECK(j["order_by"][0]["nulls"] == "default");
    CHECK(j["order_by"][0]["column"]["column"] == "id");
    CHECK(j["has_limit"] == true);
    CHECK(j["insert"].is_null());
    CHECK(j["fingerprint_hex"].get<std::string>().size() == 16);
    REQUIRE(j["literals"].size() == 3);
    CHECK(j["literals"][0]["kind"] == "constant");
    CHECK(j["literals"][0]["length"] == 17);
    CHECK_FALSE(j["literals"][0].contains("value"));
    CHECK(j["literals"][1]["kind"] == "parameter");
    CHECK(j["literals"][1]["param_number"] == 1);
    // No literal value anywhere in the default output.
    CHECK(j.dump().find("ann@example.com") == std::string::npos);

    const auto shown = to_json(*r.shape, true);
    CHECK(shown["literals"][0]["value"] == "ann@example.com");
    CHECK(shown["text"] == r.shape->text);
}

TEST_CASE("insert info in JSON", "[sql][shape][json]") {
    auto r = shape_statement("INSERT INTO t (a, b) VALUES (1, NULL) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b");
    REQUIRE(r.shape);
    const auto j = to_json(*r.shape, true);
    CHECK(j["kind"] == "insert");
    CHECK(j["insert"]["table"] == 0);
    CHECK(j["insert"]["columns"] == nlohmann::json({"a", "b"}));
    CHECK(j["insert"]["rows"] == 1);
    CHECK(j["insert"]["on_conflict"] == "do-update");
    CHECK(j["insert"]["conflict_columns"] == nlohmann::json({"a"}));
    CHECK(j["insert"]["conflict_update_columns"] == nlohmann::json({"b"}));
    CHECK(j["literals"][1]["is_null"] == true);
    CHECK(j["tables"][0]["written"] == true);
}

TEST_CASE("parse error JSON", "[sql][shape][json]") {
    auto r = shape_statement("SELECT * FROM\nWHERE");
    REQUIRE(r.error);
    const auto j = to_json(*r.error);
    CHECK(j["error"] == "syntax error at or near \"WHERE\"");
    CHECK(j["cursor"] == 15);
    CHECK(j["line"] == 2);
    CHECK(j["offset"] == 0);
}
