// A statement's duration ("duration: 12.345 ms") is read without std::from_chars where
// it is digits and a fraction (issue 17): the value must be from_chars's to the bit.
#include <catch2/catch.hpp>

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>

#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {

std::string write_temp(const std::string& name, const std::string& bytes) {
    auto dir = std::filesystem::temp_directory_path() / "pgadvisor-duration-tests";
    std::filesystem::create_directories(dir);
    auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

double from_chars_of(const std::string& text) {
    double v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

}  // namespace

TEST_CASE("stderr: a duration reads as std::from_chars reads it", "[ingest][duration]") {
    std::vector<std::string> durations = {"0.000",
                                          "0.001",
                                          "12.345",
                                          "1.5",
                                          "1.",
                                          ".5",
                                          "7",
                                          "0.1",
                                          "0.3",
                                          "2.675",
                                          "99999999.999",
                                          "123456789012.345",
                                          "1234567890123.4",
                                          "1234567890123.45",
                                          "0000000000000001.5",
                                          "1e3",
                                          "2.5E-2",
                                          "1.000000000000001",
                                          "9007199254740993",
                                          "0.30000000000000004"};
    std::mt19937_64 rng(17);
    for (int i = 0; i < 3000; ++i) {
        const int whole_digits = 1 + static_cast<int>(rng() % 12);
        const int decimals = static_cast<int>(rng() % 7);
        std::string d = std::to_string(rng() % 10);
        for (int k = 1; k < whole_digits; ++k) d += static_cast<char>('0' + rng() % 10);
        if (decimals > 0) d += '.';
        for (int k = 0; k < decimals; ++k) d += static_cast<char>('0' + rng() % 10);
        durations.push_back(d);
    }
    std::string log;
    for (std::size_t i = 0; i < durations.size(); ++i)
        log += "2024-05-01 08:00:00.000 UTC [" + std::to_string(1000 + i) + "] LOG:  duration: " + durations[i] +
               " ms  statement: SELECT " + std::to_string(i) + "\n";
    auto r = ingest_path(write_temp("durations.log", log), Format::Stderr, std::string("%m [%p] "));
    REQUIRE(r.statements.size() == durations.size());
    for (const auto& s : r.statements) {
        const std::size_t i = std::stoul(s.text.substr(7));
        INFO(durations[i]);
        REQUIRE(s.duration_ms);
        // Bit for bit: the same double, not a close one.
        CHECK(*s.duration_ms == from_chars_of(durations[i]));
    }
}
