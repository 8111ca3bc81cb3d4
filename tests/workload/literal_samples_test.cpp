// A shape's packed sample parameter sets give back exactly what was put in,
// in order, for every kind of value (issue 17: memory per shape).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "workload/literal_samples.hpp"

using namespace pgadvisor::workload;

namespace {

std::vector<LiteralSamples::Sample> read_back(const LiteralSamples& samples) {
    std::vector<LiteralSamples::Sample> out;
    for (const auto& s : samples) out.push_back(s);
    return out;
}

}  // namespace

TEST_CASE("literal samples: every kind of value comes back as it went in, in order", "[workload][samples]") {
    const std::string long_text(300, 'x');  // a length past one varint byte
    const std::vector<LiteralSamples::Sample> sets = {
        {LiteralValue{std::string("42"), true}, LiteralValue{std::nullopt, true}, LiteralValue{std::nullopt, false}},
        {LiteralValue{std::string(""), true}, LiteralValue{long_text, true},
         LiteralValue{std::string("o'brien"), false}},
        {},  // a statement's set without literals
        {LiteralValue{std::string("\0\x80\xff", 3), true}},
    };
    LiteralSamples samples;
    CHECK(samples.empty());
    CHECK(samples.begin() == samples.end());
    for (const auto& s : sets) samples.push_back(s);
    CHECK(samples.size() == sets.size());
    CHECK(read_back(samples) == sets);
    CHECK(read_back(LiteralSamples(sets)) == sets);
    CHECK(LiteralSamples(sets) == samples);
}

TEST_CASE("literal samples: find tells a set already kept", "[workload][samples]") {
    LiteralSamples samples;
    const LiteralSamples::Sample a = {LiteralValue{std::string("1"), true}};
    const LiteralSamples::Sample b = {LiteralValue{std::string("2"), true}};
    samples.push_back(a);
    CHECK(std::find(samples.begin(), samples.end(), a) != samples.end());
    CHECK(std::find(samples.begin(), samples.end(), b) == samples.end());
}
