// quote_ident must agree with PostgreSQL's quote_ident(): bare when the name
// reads back as itself, quoted otherwise.
#include <catch2/catch.hpp>

#include "sql/quote.hpp"

using pgadvisor::sql::quote_ident;
using pgadvisor::sql::quote_qualified;

TEST_CASE("quote_ident leaves plain lower-case names bare", "[sql][quote]") {
    CHECK(quote_ident("orders") == "orders");
    CHECK(quote_ident("order_items_2") == "order_items_2");
    CHECK(quote_ident("_x$y") == "_x$y");
    // Unreserved keywords stay bare, as in PostgreSQL: SELECT quote_ident('name') -> name.
    CHECK(quote_ident("name") == "name");
    CHECK(quote_ident("type") == "type");
}

TEST_CASE("quote_ident quotes what would not read back as itself", "[sql][quote]") {
    CHECK(quote_ident("Orders") == "\"Orders\"");    // upper case would fold
    CHECK(quote_ident("order") == "\"order\"");      // reserved keyword
    CHECK(quote_ident("user") == "\"user\"");        // reserved
    CHECK(quote_ident("between") == "\"between\"");  // column-name keyword
    CHECK(quote_ident("left") == "\"left\"");        // type/function-name keyword
    CHECK(quote_ident("1abc") == "\"1abc\"");        // starts with a digit
    CHECK(quote_ident("a b") == "\"a b\"");
    CHECK(quote_ident("we\"ird") == "\"we\"\"ird\"");  // embedded quote doubled
    CHECK(quote_ident("") == "\"\"");
    CHECK(quote_ident("café") == "\"café\"");  // non-ASCII: PostgreSQL quotes it too
}

TEST_CASE("quote_qualified quotes each part", "[sql][quote]") {
    CHECK(quote_qualified("public", "orders") == "public.orders");
    CHECK(quote_qualified("", "orders") == "orders");
    CHECK(quote_qualified("Sales", "order") == "\"Sales\".\"order\"");
}
