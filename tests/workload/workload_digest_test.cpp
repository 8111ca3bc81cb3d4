// The workload part of a digest (workload_digest.hpp): written as JSON text and
// read back, it is the workload it was written from; parts of a log read back
// and merged are the whole log's; no value of the log is in it unless asked;
// another format version is refused (issue 17, "Beyond one machine").
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "workload/workload_digest.hpp"
#include "workload/workload_merge.hpp"
#include "workload_compare.hpp"

using namespace pgadvisor;
using namespace pgadvisor::workload;
using namespace pgadvisor::workload::testing;

namespace {

// The workload's records as the text a digest holds (one JSON line each).
std::string digest_text(const Workload& w, bool show_literals) {
    std::string text = digest_header(show_literals).dump() + "\n";
    write_workload_lines(w, show_literals, 2, [&](const std::string& line) { text += line + "\n"; });
    return text;
}

// The workload records describe, read one by one as a digest's reader does; nullopt and `error` set
// when they do not describe one.
std::optional<Workload> workload_from_records(const std::vector<nlohmann::json>& records, std::string& error) {
    WorkloadRecords read;
    for (const auto& r : records)
        if (!read.add(r, error)) return std::nullopt;
    return read.finish(error);
}

Workload read_back(const std::string& text) {
    std::vector<nlohmann::json> records;
    std::size_t from = 0;
    bool header = true;
    while (from < text.size()) {
        const auto eol = text.find('\n', from);
        auto record = nlohmann::json::parse(text.substr(from, eol - from));
        from = eol + 1;
        if (header) {
            REQUIRE(digest_header_problem(record).empty());
            header = false;
        } else {
            records.push_back(std::move(record));
        }
    }
    std::string error;
    auto w = workload_from_records(records, error);
    INFO(error);
    REQUIRE(w);
    return std::move(*w);
}

}  // namespace

TEST_CASE("workload digest: read back, the workload it was written from", "[workload][digest]") {
    for (const char* example :
         {"shop", "prisma-blog", "sequelize-clinic", "django-app", "sqlalchemy-app", "activerecord-app", "pgbench"}) {
        INFO(example);
        const Workload whole = build(read_log(example), 0, 1);
        for (bool literals : {false, true}) {
            INFO("show_literals " << literals);
            const Workload back = read_back(digest_text(whole, literals));
            check_same(back, whole, literals);
            // Rebuilt from neutral text, each shape is the shape the rules saw.
            for (const auto& w : whole.shapes) {
                const ShapeInfo& b = back.shapes[w.id];
                REQUIRE(b.fingerprint == w.fingerprint);
                REQUIRE(b.shape.has_value() == w.shape.has_value());
                if (!w.shape) continue;
                CHECK(b.shape->fingerprint_hex == w.shape->fingerprint_hex);
                CHECK(b.shape->literals.size() == w.shape->literals.size());
                CHECK(b.shape->predicates.size() == w.shape->predicates.size());
                CHECK(b.samples.size() == (literals ? w.samples.size() : 0));
            }
        }
    }
}

TEST_CASE("workload digest: parts of a log, read back and merged, are the whole log's", "[workload][digest]") {
    for (const char* example : {"shop", "prisma-blog", "django-app", "activerecord-app"}) {
        INFO(example);
        const auto log = read_log(example);
        const Workload whole = build(log, 0, 1);
        Workload merged = read_back(digest_text(build(log, 0, 3), false));
        merge_workload(merged, read_back(digest_text(build(log, 1, 3), false)));
        merge_workload(merged, read_back(digest_text(build(log, 2, 3), false)));
        check_same(merged, whole, /*literals=*/false);
    }
}

TEST_CASE("workload digest: no value of the log unless asked", "[workload][digest]") {
    WorkloadBuilder builder;
    auto add = [&](const std::string& text, const std::string& session, const char* parameter = nullptr) {
        ingest::Statement s;
        s.text = text;
        s.session_id = session;
        s.duration_ms = 2;
        if (parameter) s.parameters.push_back({1, std::string(parameter)});
        builder.add(s);
    };
    for (int i = 0; i < 3; ++i) {
        add("SELECT * FROM users WHERE email = 'zebra-secret-4711@example.com' AND tenant = 987654321 "
            "/*traceparent='00-feedfacecafebeef0000000000000001-00f067aa0ba902b7-01'*/",
            "sess-a");
        add("SELECT * FROM orders WHERE note LIKE 'walrus-hidden%' AND id = $1", "sess-a", "p-secret-555");
    }
    const Workload w = builder.finish();
    REQUIRE(w.shapes.size() == 2);
    REQUIRE(w.shapes[0].constant_literals.size() == 2);
    REQUIRE(w.shapes[0].constant_literals[0].constant());  // the value is there to leak
    const std::string safe = digest_text(w, false);
    for (const char* value : {"zebra-secret", "987654321", "feedfacecafebeef", "walrus-hidden", "p-secret-555"}) {
        INFO(value);
        CHECK(safe.find(value) == std::string::npos);
    }
    // The shapes are still there: the LIKE prefix pattern and the constant predicates.
    const Workload back = read_back(safe);
    REQUIRE(back.shapes[1].shape);
    CHECK(back.shapes[1].shape->predicates.size() == w.shapes[1].shape->predicates.size());
    // Asked for, the values are kept (so the checks above could have failed).
    const std::string shown = digest_text(w, true);
    CHECK(shown.find("zebra-secret") != std::string::npos);
    CHECK(shown.find("p-secret-555") != std::string::npos);
}

TEST_CASE("workload digest: another format version, or not a digest, is refused", "[workload][digest]") {
    CHECK(digest_header_problem(digest_header(false)).empty());
    auto other = digest_header(false);
    other["version"] = kDigestFormatVersion + 1;
    CHECK(digest_header_problem(other).find("format version 3") != std::string::npos);
    other["version"] = 0;
    CHECK(digest_header_problem(other).find("reads versions 1 to 2") != std::string::npos);
    other["version"] = 1;  // the version before: its records still read (tests/cli/digest_test.cpp)
    CHECK(digest_header_problem(other).empty());
    CHECK(digest_header_problem(nlohmann::json::parse(R"({"statements": 3})")) == "not a pgadvisor digest");
    std::string error;
    CHECK_FALSE(workload_from_records({nlohmann::json::parse(R"({"shape": {"fingerprint": 1}})")}, error));
    CHECK(error.find("does not read") != std::string::npos);
    CHECK_FALSE(workload_from_records({}, error));
    CHECK(error.find("cut short") != std::string::npos);
    // A shape record without its text is refused, whether or not its statement parsed.
    for (bool parse_error : {false, true}) {
        std::vector<nlohmann::json> records;
        const std::string text = digest_text(build(read_log("shop"), 0, 1), false);
        std::size_t from = text.find('\n') + 1;  // after the header
        for (std::size_t to; (to = text.find('\n', from)) != std::string::npos; from = to + 1)
            records.push_back(nlohmann::json::parse(text.substr(from, to - from)));
        REQUIRE(records.front().contains("shape"));
        records.front()["shape"]["parse_error"] = parse_error;
        records.front()["shape"].erase("text");
        INFO("parse_error " << parse_error);
        CHECK_FALSE(workload_from_records(records, error));
        CHECK(error.find("does not read") != std::string::npos);
    }
}

TEST_CASE("workload digest: the lines made on several threads are the lines made on one, in shape order",
          "[workload][digest]") {
    // Enough shapes for helper threads and for several rounds of lines (write_workload_lines).
    WorkloadBuilder builder;
    for (int i = 0; i < 2600; ++i) {
        ingest::Statement s;
        s.session_id = "s" + std::to_string(i % 7);
        s.text = "SELECT c" + std::string(1, static_cast<char>('a' + i % 26)) + " FROM t" +
                 std::string(1, static_cast<char>('a' + i / 26 % 26)) +
                 std::string(1, static_cast<char>('a' + i / 676)) + " WHERE k = " + std::to_string(i);
        builder.add(s);
    }
    const Workload w = builder.finish();
    REQUIRE(w.shapes.size() == 2600);
    const auto lines = [&](unsigned jobs) {
        std::vector<std::string> out;
        write_workload_lines(w, false, jobs, [&](const std::string& line) { out.push_back(line); });
        return out;
    };
    const auto one = lines(1);
    REQUIRE(one.size() == 2601);  // the shapes, then the totals
    CHECK(lines(2) == one);
    CHECK(lines(3) == one);
    // Read back with the shapes shaped again on three threads: the workload read on one.
    WorkloadRecords threads(3);
    std::string error;
    for (const auto& line : one) REQUIRE(threads.add(nlohmann::json::parse(line), error));
    const auto back = threads.finish(error);
    REQUIRE(back);
    const Workload alone = read_back(digest_text(w, false));
    check_same(*back, w, false);
    REQUIRE(back->shapes.size() == 2600);
    for (std::size_t id = 0; id < back->shapes.size(); ++id) {
        const ShapeInfo& b = back->shapes[id];
        REQUIRE(b.shape.has_value());
        REQUIRE(b.shape->fingerprint_hex == alone.shapes[id].shape->fingerprint_hex);
        REQUIRE(b.shape->tables.front().name == w.shapes[id].shape->tables.front().name);
    }
}
