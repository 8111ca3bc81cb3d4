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
