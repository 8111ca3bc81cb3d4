// Bad input is counted by kind with file:line examples and the run goes on;
// random truncation and byte flips never crash a reader.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "ingest/input.hpp"
#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {
std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}
std::string write_temp(const std::string& name, const std::string& bytes) {
    auto dir = std::filesystem::temp_directory_path() / "pgadvisor-ingest-tests";
    std::filesystem::create_directories(dir);
    auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}
std::string first_example(const Issues& i, const char* kind) {
    auto it = i.kinds().find(kind);
    return it == i.kinds().end() || it->second.examples.empty() ? "" : it->second.examples[0];
}
}  // namespace

TEST_CASE("stderr: prefix mismatch, invalid UTF-8, binary garbage and a cut last line are counted", "[ingest][bad]") {
    // Lines 1, 5, 6 are good (6 has no newline); 2 has no prefix, 3 has \xff\xfe, 4 has NUL bytes.
    auto r = ingest_path(fixture("bad/mixed-garbage-prefix-utf8.log"));
    REQUIRE(r.statements.size() == 3);
    CHECK(r.statements[0].text == "SELECT 1");
    CHECK(r.statements[1].text == "SELECT 3");
    CHECK(r.statements[2].text == "SELECT 4 trunc");
    CHECK(r.issues.count(issue::kPrefixMismatch) == 1);
    CHECK(r.issues.count(issue::kInvalidUtf8) == 1);
    CHECK(r.issues.count(issue::kBinary) == 1);
    CHECK(r.issues.count(issue::kTruncated) == 1);
    CHECK(first_example(r.issues, issue::kPrefixMismatch)
              .find("mixed-garbage-prefix-utf8.log:2: does not match log_line_prefix '%m [%p] user=%u,db=%d '") !=
          std::string::npos);
    CHECK(first_example(r.issues, issue::kInvalidUtf8).find(":3: ") != std::string::npos);
    CHECK(first_example(r.issues, issue::kBinary).find(":4: ") != std::string::npos);
}

TEST_CASE("csvlog: a row with the wrong column count and an unterminated quote", "[ingest][bad]") {
    auto r = ingest_path(fixture("bad/csv-wrong-columns-unterminated.csv"));
    REQUIRE(r.statements.size() == 2);
    CHECK(r.statements[1].text == "SELECT 2");
    CHECK(r.issues.count(issue::kCsvColumns) == 1);
    CHECK(first_example(r.issues, issue::kCsvColumns).find(":2: 11 columns") != std::string::npos);
    CHECK(r.issues.count(issue::kCsvUnterminated) == 1);
}

TEST_CASE("jsonlog: a broken line and a plan with broken JSON", "[ingest][bad]") {
    auto r = ingest_path(fixture("bad/json-broken-line-broken-plan.json"));
    REQUIRE(r.statements.size() == 2);
    CHECK(r.statements[1].text == "SELECT 3");
    CHECK(r.issues.count(issue::kBadJson) == 1);
    CHECK(first_example(r.issues, issue::kBadJson).find(":2: ") != std::string::npos);
    CHECK(r.issues.count(issue::kBadPlan) == 1);
    CHECK(first_example(r.issues, issue::kBadPlan).find(":3: ") != std::string::npos);
}

// issue 16: JSON nested deeper than the readers follow; the record or plan is skipped, the rest read.
std::string nested(std::size_t depth, const std::string& open, const std::string& inner, const std::string& close) {
    std::string out;
    for (std::size_t i = 0; i < depth; ++i) out += open;
    out += inner;
    for (std::size_t i = 0; i < depth; ++i) out += close;
    return out;
}

TEST_CASE("jsonlog: a value nested 70,000 deep is skipped at its line", "[ingest][bad][deep]") {
    const std::string record = R"({"timestamp":"2026-01-01 10:00:00.000 UTC","pid":77,"error_severity":"LOG",)";
    auto r = ingest_path(
        write_temp("deep-value.json", record + R"("message":"duration: 1.000 ms  statement: SELECT 1","x":)" +
                                          nested(70000, "[", "1", "]") + "}\n" + record +
                                          R"("message":"duration: 1.000 ms  statement: SELECT 2"})" + "\n"));
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text == "SELECT 2");
    CHECK(r.issues.count(issue::kTooDeep) == 1);
    CHECK(first_example(r.issues, issue::kTooDeep).find("deep-value.json:1: a JSON value nested too deeply") !=
          std::string::npos);
}

TEST_CASE("EXPLAIN JSON and auto_explain JSON plans nested 50,000 deep are skipped", "[ingest][bad][deep]") {
    const std::string deep_plan = nested(50000, R"({"Node Type":"Result","Plans":[)", R"({"Node Type":"Result"})",
                                         "]}");
    const std::string good_plan = R"({"Node Type":"Seq Scan","Relation Name":"orders","Total Cost":10.5})";
    auto file = ingest_path(write_temp("deep-plan.json",
                                       "[{\"Plan\":" + deep_plan + "}]\n[{\"Plan\":" + good_plan + "}]\n"),
                            Format::Explain);
    REQUIRE(file.statements.size() == 1);
    REQUIRE(file.statements[0].plan);
    CHECK(file.statements[0].plan->root.node_type == "Seq Scan");
    CHECK(first_example(file.issues, issue::kBadPlan).find("nested too deeply") != std::string::npos);

    const std::string line = "2026-01-01 10:00:00.000 UTC [77] user=app,db=shop LOG:  duration: 1.000 ms  ";
    auto log = ingest_path(
        write_temp("deep-auto-explain.log", line + "plan:\n\t{\"Query Text\": \"SELECT 1\", \"Plan\": " + deep_plan +
                                                "}\n" + line + "statement: SELECT 2\n"));
    REQUIRE_FALSE(log.statements.empty());
    CHECK(log.statements.back().text == "SELECT 2");
    CHECK(first_example(log.issues, issue::kBadPlan).find(":1: ") != std::string::npos);
    CHECK(first_example(log.issues, issue::kBadPlan).find("nested too deeply") != std::string::npos);
}

TEST_CASE("a file that does not exist is reported, not fatal", "[ingest][bad]") {
    auto r = ingest_path("/nonexistent/pgadvisor/postgresql.log");
    CHECK_FALSE(r.report.error.empty());
    CHECK(r.statements.empty());
    CHECK(r.issues.count(issue::kUnreadable) == 1);
}

TEST_CASE("a truncated gzip file reports the truncation and keeps what it read", "[ingest][bad][compression]") {
    std::string gz = slurp(fixture("small.log.gz"));
    auto p = write_temp("cut.log.gz", gz.substr(0, gz.size() / 2));
    auto r = ingest_path(p);
    CHECK(r.report.compression == "gzip");
    CHECK(r.issues.count(issue::kTruncated) >= 1);
    CHECK(r.statements.size() > 5);
    CHECK(r.statements.size() < 89);
}

TEST_CASE("random truncation and byte flips never crash any reader", "[ingest][bad][fuzz]") {
    struct Input {
        std::string path;
        Format format;
    };
    const Input inputs[] = {
        {fixture("pg15-workload.log"), Format::Stderr},
        {fixture("pg15-workload.csv"), Format::Csvlog},
        {fixture("pg15-workload.json"), Format::Jsonlog},
        {corpus("logs/pgbadger/logplex"), Format::Syslog},
        {corpus("explain/01-nested-loop-left-join-bitmap-buffers.txt"), Format::Explain},
        {corpus("explain/25-autoexplain-json-memoize-nested-loop.json"), Format::Explain},
        {fixture("small.log.gz"), Format::Stderr},
        {fixture("small.log.zst"), Format::Stderr},
        {std::string(PGADVISOR_SOURCE_DIR) + "/examples/queries/shop.sql", Format::Sql},
    };
    std::mt19937 rng(20261123);
    for (const auto& in : inputs) {
        const std::string original = slurp(in.path);
        REQUIRE(!original.empty());
        auto clean = ingest_path(in.path, in.format);
        for (int round = 0; round < 40; ++round) {
            std::string bytes = original;
            if (round % 2 == 0) {
                bytes.resize(rng() % bytes.size());
            } else {
                for (int k = 0; k < 8; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng() % 256);
            }
            INFO(in.path << " round " << round);
            auto p = write_temp("fuzz.bin", bytes);
            Ingested r;
            REQUIRE_NOTHROW(r = ingest_path(p, in.format));
            // Cutting a file never invents records.
            if (round % 2 == 0 && in.format != Format::Explain)
                CHECK(r.statements.size() <= clean.statements.size() + 1);
        }
    }
}

TEST_CASE("a line longer than the read buffer (4 MB statement) is read whole", "[ingest][bad]") {
    const std::string p = "2024-05-01 10:00:00.123 UTC [42] ";
    std::string big = p + "LOG:  duration: 2.000 ms  statement: SELECT * FROM t WHERE id IN (";
    for (int i = 0; i < 600000; ++i) {
        if (i) big += ',';
        big += std::to_string(i);
    }
    big += ")";
    auto path = write_temp("long.log", p + "LOG:  duration: 1.000 ms  statement: SELECT 1\n" + big + "\n" + p +
                                           "LOG:  duration: 3.000 ms  statement: SELECT 3\n");
    auto r = ingest_path(path);
    REQUIRE(r.statements.size() == 3);
    CHECK(r.statements[1].text.size() == big.size() - (p.size() + 37));
    CHECK(r.statements[1].text.substr(r.statements[1].text.size() - 8) == ",599999)");
    CHECK(r.statements[2].source.first_line == 3);
    CHECK(r.issues.total() == 0);
}

TEST_CASE("nothing read: the reason names the skipped input's kind, count and first file:line", "[ingest][bad]") {
    const auto garbage = write_temp("only-garbage.log", "garbage line one\nanother garbage line\n");
    IngestOptions options;
    options.inputs = {garbage};
    auto report = ingest(options, [](Statement&&) {});
    REQUIRE(report.nothing_read());
    const auto why = report.why_nothing_read();
    REQUIRE(why.size() == 1);
    CHECK(why[0].rfind("2 x skipped, does not match log_line_prefix: first at " + garbage + ":1: ", 0) == 0);

    // A file that cannot be read at all: its error first, then the other's skipped lines.
    options.inputs = {garbage, write_temp("binary.log", std::string("\0\1\2\3binary", 10))};
    report = ingest(options, [](Statement&&) {});
    REQUIRE(report.nothing_read());
    const auto both = report.why_nothing_read();
    REQUIRE(both.size() == 2);  // the binary file's error is not repeated as skipped input
    CHECK(both[0].find("binary.log: error: ") != std::string::npos);
    CHECK(both.back().find("does not match log_line_prefix: first at " + garbage + ":1: ") != std::string::npos);
}

TEST_CASE("plain_text_length: after the plain start, the two checks answer as over the whole line", "[ingest][bad]") {
    // The reader checks only what follows a line's plain start (issue 17): that must say
    // what looks_binary and find_invalid_utf8 say of the whole line, at the same byte.
    std::mt19937 rng(17);
    const std::string alphabet[] = {
        "a", " ", "\t", "\x01", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xff", "\xc3", std::string(1, '\0')};
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        const int len = static_cast<int>(rng() % 70);  // several blocks of 16 bytes and of 8, and a tail
        for (int k = 0; k < len; ++k) {
            // Mostly plain bytes, so that blocks of 16 and words of 8 plain ones come before the rest.
            const std::size_t pick = rng() % 100;
            s += pick < 10 ? alphabet[pick] : std::string(1, static_cast<char>('a' + pick % 26));
        }
        const std::size_t plain = plain_text_length(s);
        INFO(i);
        // Exactly the run of plain bytes (0x20-0x7f and tabs) the line starts with.
        std::size_t run = 0;
        const auto is_plain = [](unsigned char c) { return (c >= 0x20 && c < 0x80) || c == '\t'; };
        while (run < s.size() && is_plain(static_cast<unsigned char>(s[run]))) ++run;
        CHECK(plain == run);
        REQUIRE(plain <= s.size());
        const std::string_view rest = std::string_view(s).substr(plain);
        CHECK(looks_binary(s) == looks_binary(rest));
        const std::size_t whole = find_invalid_utf8(s), after = find_invalid_utf8(rest);
        CHECK(whole == (after == std::string_view::npos ? after : plain + after));
        if (plain == s.size()) CHECK((!looks_binary(s) && whole == std::string_view::npos));
    }
}

TEST_CASE("stderr: an invalid UTF-8 line is reported at its bad byte, after a plain or UTF-8 start", "[ingest][bad]") {
    const std::string log =
        "2024-05-01 08:00:00.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT 'caf\xc3\xa9', '\xff'\n"
        "2024-05-01 08:00:00.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT 2\n";
    auto r = ingest_path(write_temp("utf8-position.log", log), Format::Stderr, std::string("%m [%p] "));
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text == "SELECT 2");
    // 'caf', two bytes of é, "', '" then the bad byte: byte 88 of the line.
    CHECK(first_example(r.issues, issue::kInvalidUtf8).find(":1: byte 88 of the line") != std::string::npos);
}
