// Bad input gives errors as values, never a crash: garbage, truncation, NUL
// bytes, invalid UTF-8, unterminated strings, absurd nesting.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "sql/shape.hpp"
#include "sql/shape_json.hpp"

using namespace pgadvisor::sql;

namespace {

// Every result is a shape or an error, never both or neither; and both
// serialize to JSON even when the text is not valid UTF-8.
std::size_t check_results(const std::string& text, std::size_t* errors = nullptr) {
    auto all = shape_statements(text);
    for (const auto& r : all) {
        REQUIRE(r.shape.has_value() != r.error.has_value());
        if (r.shape) {
            CHECK(r.shape->offset + r.shape->length <= text.size());
            auto j = to_json(*r.shape, true);
            CHECK_FALSE(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).empty());
        } else {
            CHECK_FALSE(r.error->message.empty());
            CHECK(r.error->line >= 1);
            CHECK(r.error->offset <= text.size());
            if (errors) ++*errors;
        }
    }
    return all.size();
}

}  // namespace

TEST_CASE("random bytes give errors, not crashes", "[sql][shape][robustness]") {
    std::uint64_t state = 0x9E3779B97F4A7C15ull;  // fixed seed: reproducible
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    std::size_t errors = 0;
    for (int round = 0; round < 300; ++round) {
        std::string text(static_cast<std::size_t>(next() % 200), ' ');
        for (auto& ch : text) ch = static_cast<char>(next() & 0xFF);
        check_results(text, &errors);
    }
    CHECK(errors > 250);  // random bytes are almost never SQL
}

TEST_CASE("SQL-ish garbage gives errors", "[sql][shape][robustness]") {
    for (const char* text : {"SELECT FROM WHERE", "SELEC * FROM t", "))))", "((((", "SELECT * FROM t WHERE a = = 1",
                             "INSERT INTO", "UPDATE SET x = 1", "DELETE", "WITH x AS SELECT 1", "$1", ";;;x"}) {
        INFO(text);
        std::size_t errors = 0;
        CHECK(check_results(text, &errors) >= 1);
        CHECK(errors >= 1);
    }
}

TEST_CASE("every truncation of a real statement shapes or fails cleanly", "[sql][shape][robustness]") {
    const std::string sql =
        "WITH r AS (SELECT customer_id, count(*) n FROM orders WHERE created_at >= $1 GROUP BY 1) "
        "SELECT c.email, r.n FROM customers c JOIN r ON r.customer_id = c.id "
        "WHERE c.name LIKE 'a%' AND c.id IN (1, 2, -3) ORDER BY lower(c.email) DESC LIMIT 10 FOR UPDATE";
    std::size_t shaped_full = 0;
    for (std::size_t n = 0; n <= sql.size(); ++n) {
        auto all = shape_statements(sql.substr(0, n));
        for (const auto& r : all) REQUIRE(r.shape.has_value() != r.error.has_value());
        if (n == sql.size()) shaped_full = all.size() == 1 && all[0].shape ? 1 : 0;
    }
    CHECK(shaped_full == 1);
}

TEST_CASE("NUL bytes are reported and the text around them is still shaped", "[sql][shape][robustness]") {
    const std::string text("SELECT 1;\0\0SELECT * FROM t WHERE a = 2", 38);
    auto all = shape_statements(text);
    REQUIRE(all.size() == 3);
    REQUIRE(all[0].shape);
    REQUIRE(all[1].error);
    CHECK(all[1].error->message == "input contains a NUL byte");
    CHECK(all[1].error->offset == 9);
    CHECK(all[1].error->line == 1);
    REQUIRE(all[2].shape);
    CHECK(all[2].shape->offset == 11);
    CHECK(all[2].shape->tables.at(0).name == "t");
}

TEST_CASE("invalid UTF-8 bytes become '?' in place; the statements around them still shape",
          "[sql][shape][robustness]") {
    const std::string text =
        "SELECT * FROM t WHERE name = '\xff\xfe\x80' AND id = 1;\nSELECT \xc3\x28 FROM u;\nSELECT 3";
    std::size_t errors = 0;
    CHECK(check_results(text, &errors) == 3);
    CHECK(errors == 1);
    auto all = shape_statements(text);
    REQUIRE(all.size() == 3);
    REQUIRE(all[0].shape);
    CHECK(all[0].shape->predicates.size() == 2);
    REQUIRE(all[0].shape->literals.size() == 2);
    CHECK(all[0].shape->literals[0].value == "???");
    CHECK(all[0].shape->literals[0].length == 5);
    REQUIRE(all[1].error);  // "SELECT ?( FROM u" is not SQL
    CHECK(all[1].error->line == 2);
    REQUIRE(all[2].shape);
    CHECK(all[2].shape->offset == text.rfind("SELECT 3"));
}

TEST_CASE("a trailing piece libpg_query's splitter drops still comes back as an error", "[sql][shape][robustness]") {
    const std::string text = "SELECT 1; x;\nfoo(1)";
    auto all = shape_statements(text);
    REQUIRE(all.size() == 3);
    REQUIRE(all[0].shape);
    REQUIRE(all[1].error);
    CHECK(all[1].error->offset == text.find('x'));
    REQUIRE(all[2].error);
    CHECK(all[2].error->line == 2);
    CHECK(all[2].error->message == "syntax error at or near \"foo\"");
}

TEST_CASE("an unterminated string is one error on the right line, the statements before it still shape",
          "[sql][shape][robustness]") {
    const std::string text = "SELECT 1;\nSELECT 'abc;\nSELECT 2";
    auto all = shape_statements(text);
    REQUIRE(all.size() == 2);
    REQUIRE(all[0].shape);
    CHECK(all[0].shape->text == "SELECT 1");
    REQUIRE(all[1].error);
    CHECK(all[1].error->message.find("unterminated quoted string") != std::string::npos);
    CHECK(all[1].error->line == 2);
}

TEST_CASE("deep nesting gives an error or a shape, not a stack overflow", "[sql][shape][robustness]") {
    for (std::size_t depth : {100u, 1000u, 100000u}) {
        INFO(depth);
        const std::string text = "SELECT " + std::string(depth, '(') + "1" + std::string(depth, ')');
        CHECK(check_results(text) == 1);
    }
}

TEST_CASE("an error at a constant does not quote its value", "[sql][shape][robustness]") {
    auto r = shape_statement("SELECT * FROM users WHERE password = 'hunter2' 'x'");
    REQUIRE(r.error);
    CHECK(r.error->message == "syntax error at or near a constant");
    CHECK(r.error->cursor == 48);
    auto k = shape_statement("SELECT * FROM users WHERE WHERE");
    REQUIRE(k.error);
    CHECK(k.error->message == "syntax error at or near \"WHERE\"");
}
