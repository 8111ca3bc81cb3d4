// Index names and DDL text: exact SQL for the shapes the advisor proposes,
// names that fit PostgreSQL's 63 bytes without breaking a UTF-8 character,
// and names that clash with nothing in the catalog.
#include <catch2/catch.hpp>

#include "catalog/index_sql.hpp"

using namespace pgadvisor;
using IndexDefinition = catalog::Index;

namespace {

IndexDefinition index_on(std::string table, std::vector<std::string> columns) {
    IndexDefinition d;
    d.schema = "public";
    d.table = std::move(table);
    for (auto& c : columns) d.keys.push_back({c, "", false, false});
    return d;
}

// Well-formed UTF-8: every lead byte followed by the right number of continuation bytes.
bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 99;
        if (n == 99 || i + n >= s.size()) return false;
        for (std::size_t k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n + 1;
    }
    return true;
}

}  // namespace

TEST_CASE("index_sql: a composite index with DESC, INCLUDE and a partial predicate", "[migrations]") {
    auto d = index_on("orders", {"customer_id"});
    d.keys.push_back({"created_at", "", true, true});
    d.include = {"total"};
    d.predicate = "deleted_at IS NULL";
    CHECK(catalog::base_index_name(d) == "orders_customer_id_created_at_part_idx");
    d.name = catalog::base_index_name(d);
    CHECK(catalog::index_body_sql(d) == "(customer_id, created_at DESC) INCLUDE (total) WHERE deleted_at IS NULL");
    CHECK(catalog::create_index_sql(d) ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_at_part_idx ON public.orders "
          "USING btree (customer_id, created_at DESC) INCLUDE (total) WHERE deleted_at IS NULL;");
    CHECK(catalog::create_index_sql(d, {false, false}) ==
          "CREATE INDEX orders_customer_id_created_at_part_idx ON public.orders "
          "USING btree (customer_id, created_at DESC) INCLUDE (total) WHERE deleted_at IS NULL;");
    CHECK(catalog::drop_index_sql(d) ==
          "DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_created_at_part_idx;");
    CHECK(catalog::drop_index_sql(d, false) == "DROP INDEX IF EXISTS public.orders_customer_id_created_at_part_idx;");
}

TEST_CASE("index_sql: NULLS placement is written only where it differs from the direction's default", "[migrations]") {
    auto d = index_on("t", {});
    d.keys = {{"a", "", false, true}, {"b", "", true, false}, {"c", "", false, false}, {"d", "", true, true}};
    CHECK(catalog::index_body_sql(d) == "(a NULLS FIRST, b DESC NULLS LAST, c, d DESC)");
}

TEST_CASE("index_sql: an expression key is parenthesised, its words name the index", "[migrations]") {
    auto d = index_on("customers", {});
    d.keys.push_back({"", "lower(email)", false, false});
    CHECK(catalog::base_index_name(d) == "customers_lower_email_idx");
    d.name = catalog::base_index_name(d);
    CHECK(catalog::create_index_sql(d) ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_lower_email_idx ON public.customers USING btree "
          "((lower(email)));");
}

TEST_CASE("index_sql: identifiers are quoted exactly when PostgreSQL needs it", "[migrations]") {
    IndexDefinition d;
    d.schema = "Sales";
    d.table = "order \"items\"";
    d.keys = {{"user", "", false, false}, {"größe", "", false, false}, {"Select", "", true, true}};
    d.include = {"café"};
    d.unique = true;
    CHECK(catalog::base_index_name(d) == "order_items_user_größe_select_key");
    d.name = catalog::base_index_name(d);
    CHECK(catalog::create_index_sql(d) ==
          "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"order_items_user_größe_select_key\" ON "
          "\"Sales\".\"order \"\"items\"\"\" USING btree (\"user\", \"größe\", \"Select\" DESC) INCLUDE (\"café\");");
    CHECK(
        catalog::duplicates_check_sql(d) ==
        "SELECT \"user\", \"größe\", \"Select\", count(*) FROM \"Sales\".\"order \"\"items\"\"\" WHERE \"user\" IS NOT "
        "NULL AND \"größe\" IS NOT NULL AND \"Select\" IS NOT NULL GROUP BY \"user\", \"größe\", \"Select\" HAVING "
        "count(*) > 1 ORDER BY count(*) DESC LIMIT 100;");
}

TEST_CASE("index_sql: the duplicates check leaves out NULL keys and keeps a partial index's predicate",
          "[migrations]") {
    auto d = index_on("cart_items", {"cart_id"});
    d.keys.push_back({"", "lower(code)", false, false});
    d.unique = true;
    d.predicate = "deleted_at IS NULL";
    CHECK(catalog::base_index_name(d) == "cart_items_cart_id_lower_code_part_key");
    CHECK(catalog::duplicates_check_sql(d) ==
          "SELECT cart_id, (lower(code)), count(*) FROM public.cart_items WHERE cart_id IS NOT NULL AND "
          "(lower(code)) IS NOT NULL AND (deleted_at IS NULL) GROUP BY cart_id, (lower(code)) HAVING count(*) > 1 "
          "ORDER BY count(*) DESC LIMIT 100;");
}

TEST_CASE("index_sql: long names fit 63 bytes on a character boundary and stay distinct", "[migrations]") {
    // 70 bytes, with two-byte letters placed so a plain cut would split one.
    std::string table = "bestellungen_größe_café_";
    while (table.size() + 2 <= 70) table += "ü";
    table += "x";
    REQUIRE(table.size() == 70);
    REQUIRE(valid_utf8(table));
    const auto a = index_on(table + "_a", {"customer_id", "größe"});
    const auto b = index_on(table + "_b", {"customer_id", "größe"});
    const std::string na = catalog::base_index_name(a), nb = catalog::base_index_name(b);
    INFO(na << " / " << nb);
    CHECK(na.size() <= 63);
    CHECK(nb.size() <= 63);
    CHECK(valid_utf8(na));
    CHECK(valid_utf8(nb));
    CHECK(na != nb);
    CHECK(na.rfind("bestellungen_größe_café_", 0) == 0);  // still readable
    CHECK(na.substr(na.size() - 4) == "_idx");
    CHECK(catalog::base_index_name(a) == na);  // deterministic
    // Cutting each byte count from 50 to 70 never leaves a broken character.
    for (std::size_t n = 50; n <= 90; ++n) {
        std::string t;
        while (t.size() < n) t += "é";
        const auto name = catalog::base_index_name(index_on(t, {"x"}));
        CHECK(name.size() <= 63);
        CHECK(valid_utf8(name));
    }
}

TEST_CASE("index_sql: assigned names avoid the catalog's relations and each other", "[migrations]") {
    catalog::Catalog cat;
    catalog::Table orders;
    orders.schema = "public";
    orders.name = "orders";
    cat.tables.push_back(orders);
    catalog::Table clash;  // a table that happens to carry the name we would choose
    clash.schema = "public";
    clash.name = "orders_customer_id_idx";
    cat.tables.push_back(clash);
    catalog::Index existing;
    existing.schema = "public";
    existing.table = "orders";
    existing.name = "orders_customer_id_idx_1";
    cat.indexes.push_back(existing);
    catalog::Index elsewhere;  // another schema's names do not clash
    elsewhere.schema = "archive";
    elsewhere.table = "orders";
    elsewhere.name = "orders_status_idx";
    cat.indexes.push_back(elsewhere);

    auto first = index_on("orders", {"customer_id"});
    auto second = index_on("orders", {"customer_id"});  // the same name again (different INCLUDE, say)
    second.include = {"total"};
    auto status = index_on("orders", {"status"});
    std::vector<IndexDefinition*> all{&first, &second, &status};
    catalog::assign_index_names(all, &cat);
    CHECK(first.name == "orders_customer_id_idx_2");
    CHECK(second.name == "orders_customer_id_idx_3");
    CHECK(status.name == "orders_status_idx");

    // Without a catalog only the proposals themselves count.
    auto again1 = index_on("orders", {"customer_id"});
    auto again2 = index_on("orders", {"customer_id"});
    std::vector<IndexDefinition*> two{&again1, &again2};
    catalog::assign_index_names(two, nullptr);
    CHECK(again1.name == "orders_customer_id_idx");
    CHECK(again2.name == "orders_customer_id_idx_1");

    // A clash on a name that is already 63 bytes long keeps within 63 bytes.
    std::string table(70, 'x');
    auto l1 = index_on(table, {"a"});
    auto l2 = index_on(table, {"a"});
    std::vector<IndexDefinition*> longs{&l1, &l2};
    catalog::assign_index_names(longs, nullptr);
    CHECK(l1.name != l2.name);
    CHECK(l1.name.size() <= 63);
    CHECK(l2.name.size() <= 63);
    CHECK(l2.name.substr(l2.name.size() - 2) == "_1");
}

TEST_CASE("index_sql: a non-default operator class is written after its key", "[migrations]") {
    auto d = index_on("t", {});
    d.keys = {{"name", "", false, false, "varchar_pattern_ops"}, {"Code", "", true, true, "My Schema.my_ops"}};
    CHECK(catalog::index_body_sql(d) == "(name varchar_pattern_ops, \"Code\" \"My Schema\".my_ops DESC)");
}
