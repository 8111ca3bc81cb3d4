// Syslog continuation lines, and directory expansion in time order.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "ingest/ingest.hpp"
#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;
namespace fs = std::filesystem;

TEST_CASE("syslog: [N-M] continuation lines and #011 tabs rebuild the statement", "[ingest][syslog]") {
    auto r = ingest_path(corpus("logs/pgbadger/pg-syslog.1"));
    // Lines 33-40 of pg-syslog.1: psql's \d query split over [7-1] .. [7-8].
    const Statement* s = nullptr;
    for (const auto& x : r.statements)
        if (x.source.first_line <= 40 && x.source.last_line >= 40) s = &x;
    REQUIRE(s);
    CHECK(s->text.find("ORDER BY 1;") != std::string::npos);
    CHECK(s->text.find("#011") == std::string::npos);
    CHECK(s->pid == 10825);
    CHECK(s->database == "postgres");
    CHECK(s->application == "psql");
    // Syslog's "Feb 11 13:15:41" has no year: the current one is assumed.
    REQUIRE(s->timestamp.view().size() == 19);
    CHECK(s->timestamp.view().substr(4) == "-02-11 13:15:41");
    CHECK(s->epoch_ms > 0);
}

TEST_CASE("directories are expanded recursively and read oldest file first", "[ingest][dirs]") {
    auto dir = fs::temp_directory_path() / "pgadvisor-ingest-dir-test";
    fs::remove_all(dir);
    fs::create_directories(dir / "sub");
    fs::copy_file(fixture("pg15-workload.csv"), dir / "sub" / "new.csv");
    fs::copy_file(fixture("small.log.gz"), dir / "old.log.gz");
    std::ofstream(dir / ".hidden") << "ignored";
    auto now = fs::file_time_type::clock::now();
    fs::last_write_time(dir / "old.log.gz", now - std::chrono::hours(48));
    fs::last_write_time(dir / "sub" / "new.csv", now - std::chrono::hours(1));
    Issues issues;
    auto files = expand_inputs({dir.string()}, issues);
    REQUIRE(files.size() == 2);
    CHECK(files[0] == (dir / "old.log.gz").string());
    CHECK(files[1] == (dir / "sub" / "new.csv").string());
    IngestOptions o;
    o.inputs = {dir.string()};
    long n = 0;
    auto rep = ingest(o, [&](Statement&&) { ++n; });
    CHECK(n == 89 * 2);
    CHECK(rep.files.size() == 2);
    CHECK(rep.files[0].compression == "gzip");
    CHECK(rep.files[1].format == Format::Csvlog);
    CHECK_FALSE(rep.nothing_read());
    fs::remove_all(dir);
}
