// The one SourceLocation text: what reports and findings print for a place.
#include <catch2/catch.hpp>

#include "ingest/source_location.hpp"

using pgadvisor::ingest::location_text;

TEST_CASE("location_text: file:line, file:first-last, the file alone when the line is unknown", "[ingest][location]") {
    CHECK(location_text({"app.log", 12, 12}) == "app.log:12");
    CHECK(location_text({"app.log", 12, 14}) == "app.log:12-14");
    CHECK(location_text({"app.log", 12, 0}) == "app.log:12");  // no last line: the first alone
    CHECK(location_text({"schema.sql", 0, 0}) == "schema.sql");
    CHECK(location_text({"", 3, 4}).empty());
}

TEST_CASE("FileName: one interned name per text, ordered and compared as its text", "[ingest][location]") {
    using pgadvisor::ingest::FileName;
    const std::string path = "/var/log/postgresql/postgresql-15-main.log";
    const FileName a{path}, b{std::string_view(path)}, other{"/var/log/postgresql/postgresql-15-main.log.1"};
    CHECK(&a.str() == &b.str());  // the same name, not a copy of it
    CHECK(a == b);
    CHECK(a == path);
    CHECK_FALSE(a == other);
    CHECK(a < other);  // by text, as the strings it replaced
    CHECK(FileName("b.log") > FileName("a.log"));
    CHECK(FileName().empty());
    CHECK(FileName("").empty());
    CHECK(FileName() == FileName(""));
    CHECK(FileName().str().empty());
    CHECK(fmt::format("{}:{}", a, 3) == path + ":3");
}
