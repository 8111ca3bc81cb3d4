// JsonLine (json_line.hpp) writes what nlohmann's dump writes for the same values: strings
// byte for byte (escapes, control characters, invalid UTF-8 replaced), numbers that read back
// as the same numbers of the same kind, members and items in the order written.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "workload/json_line.hpp"

using nlohmann::json;
using pgadvisor::workload::JsonLine;

namespace {

std::string dumped(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string written(std::string_view s) { return JsonLine().string(s).take(); }

}  // namespace

TEST_CASE("json line: a string is written as nlohmann writes it", "[workload][digest]") {
    for (std::string_view s : {"", "SELECT 1", "say \"hi\"", "back\\slash", "tab\tnew\nline\rfeed\f\b", "\x01\x1f\x7f",
                               "caf\xc3\xa9", "bad \xff byte", "cut \xe2\x82", "\xf0\x9f\x98\x80 ok"})
        CHECK(written(s) == dumped(json(std::string(s))));
    // Every byte alone, and random strings of them (ASCII and not, valid UTF-8 and not).
    for (int c = 0; c < 256; ++c) {
        const std::string one(1, static_cast<char>(c));
        INFO(c);
        CHECK(written(one) == dumped(json(one)));
    }
    std::mt19937 random(17);
    for (int n = 0; n < 2000; ++n) {
        std::string s(random() % 24, ' ');
        const bool ascii = n % 2 == 0;
        for (char& ch : s) ch = static_cast<char>(ascii ? random() % 128 : random() % 256);
        CHECK(written(s) == dumped(json(s)));
    }
}

TEST_CASE("json line: numbers read back as the same numbers, of the same kind", "[workload][digest]") {
    for (double d : {0.0, -0.0, 1.0, 2.5, -3.0, 0.1, 1e-7, 123456789.125, 1e300, 4.9e-324, static_cast<double>(0.1f),
                     std::numeric_limits<double>::max()}) {
        const json back = json::parse(JsonLine().number(d).take());
        INFO(d);
        REQUIRE(back.is_number_float());
        CHECK(back.get<double>() == d);
    }
    for (double d : {std::nan(""), std::numeric_limits<double>::infinity()})
        CHECK(JsonLine().number(d).take() == dumped(json(d)));  // null, as nlohmann writes it
    for (long long i : {0LL, -1LL, 42LL, std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max()})
        CHECK(JsonLine().number(i).take() == dumped(json(i)));
    CHECK(JsonLine().number(std::numeric_limits<std::uint64_t>::max()).take() ==
          dumped(json(std::numeric_limits<std::uint64_t>::max())));
}

TEST_CASE("json line: objects and arrays, nested, as nlohmann writes them", "[workload][digest]") {
    JsonLine line;
    line.open_object().key("a").open_array().number(1).string("x").null().open_array().close_array().close_array();
    line.key("b").open_object().close_object().key("c").boolean(false);
    line.key("d").document(json{{"k", {1, 2}}}).key("e").open_array().open_object().key("f").boolean(true);
    line.close_object().open_object().close_object().close_array().close_object();
    const std::string text = line.take();
    CHECK(text == R"({"a":[1,"x",null,[]],"b":{},"c":false,"d":{"k":[1,2]},"e":[{"f":true},{}]})");
    CHECK(dumped(json::parse(text)) == text);  // members in nlohmann's order here: the same text
    CHECK(line.take().empty());
}
