#include <catch2/catch.hpp>

#include "workload/request_tags.hpp"

using namespace pgadvisor::workload;

TEST_CASE("sqlcommenter tags are read with URL-decoded values", "[workload][tags]") {
    auto t = request_tags_of(
        "SELECT * FROM orders WHERE id = $1 "
        "/*action='index',controller='orders',route='%2Fcustomers%2F%3Aid%2Forders',"
        "traceparent='00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01'*/");
    CHECK(t.size() == 4);
    CHECK(t["route"] == "/customers/:id/orders");
    CHECK(t["controller"] == "orders");
    CHECK(t["traceparent"] == "00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01");
}

TEST_CASE("sqlcommenter escaped quotes stay inside the value", "[workload][tags]") {
    auto t = parse_tag_comment(R"(name='it\'s',db_driver='psycopg2%3A2.9')");
    CHECK(t["name"] == "it's");
    CHECK(t["db_driver"] == "psycopg2:2.9");
}

TEST_CASE("marginalia key:value tags are read", "[workload][tags]") {
    auto t = request_tags_of("/*application:Shop,controller:carts,action:create*/ SELECT 1");
    CHECK(t.size() == 3);
    CHECK(t["application"] == "Shop");
    CHECK(t["action"] == "create");
}

TEST_CASE("free-text comments are not tags", "[workload][tags]") {
    CHECK(request_tags_of("SELECT 1 /* load the cart, then its lines */").empty());
    CHECK(request_tags_of("SELECT 1 -- see ticket 42").empty());
    CHECK(parse_tag_comment("").empty());
    CHECK(parse_tag_comment("route='unterminated").empty());
    // A tag-like string literal is not a comment.
    CHECK(request_tags_of("SELECT '/*route=''x''*/'").empty());
}

TEST_CASE("url_decode keeps malformed escapes as written", "[workload][tags]") {
    CHECK(url_decode("a%2Fb") == "a/b");
    CHECK(url_decode("100%") == "100%");
    CHECK(url_decode("%zz%2") == "%zz%2");
}

TEST_CASE("the route tags name: route, else controller#action, else none", "[workload][tags]") {
    CHECK(route_of(request_tags_of("SELECT 1 /*route='%2Forders',controller='x'*/")) == "/orders");
    CHECK(route_of(request_tags_of("SELECT 1 /*application:Shop,controller:orders,action:index*/")) == "orders#index");
    CHECK(route_of(request_tags_of("SELECT 1 /*controller:orders*/")) == "orders");
    CHECK(route_of(request_tags_of("SELECT 1 /*request_id='r1'*/")).empty());
    CHECK(route_of({}).empty());
}
