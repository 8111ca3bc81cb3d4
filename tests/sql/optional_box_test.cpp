// sql::OptionalBox: std::optional's behaviour (a QueryShape's insert), the value on the heap.
#include <catch2/catch.hpp>

#include "sql/shape.hpp"

using namespace pgadvisor::sql;

TEST_CASE("a shape's insert: set for an INSERT only, copied with the shape, one pointer when unset",
          "[sql][shape-memory]") {
    const auto select = shape_statement("SELECT a FROM t WHERE id = 1");
    REQUIRE(select.shape);
    CHECK_FALSE(select.shape->insert);

    const auto insert = shape_statement("INSERT INTO t (a, b) VALUES (1, $1) ON CONFLICT (a) DO NOTHING");
    REQUIRE(insert.shape);
    REQUIRE(insert.shape->insert.has_value());
    CHECK(insert.shape->insert->columns == std::vector<std::string>{"a", "b"});
    CHECK((*insert.shape->insert).on_conflict == ConflictAction::Nothing);

    // A copy holds its own value (value semantics, as std::optional).
    QueryShape copy = *insert.shape;
    copy.insert->columns.push_back("c");
    CHECK(insert.shape->insert->columns.size() == 2);
    copy.insert.reset();
    CHECK_FALSE(copy.insert);
    copy.insert = InsertInfo{};
    CHECK(copy.insert);

    // Most shapes are no INSERT: the slot costs a pointer, not an InsertInfo.
    STATIC_REQUIRE(sizeof(OptionalBox<InsertInfo>) == sizeof(void*));
}
