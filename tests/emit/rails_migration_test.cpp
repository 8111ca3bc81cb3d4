// ActiveRecord migrations: disable_ddl_transaction!, add_index ... algorithm: :concurrently
// where it builds the very index, execute of the SQL layouts' statement elsewhere.
#include <catch2/catch.hpp>

#include "emit/migrations.hpp"
#include "migration_fixtures.hpp"

using namespace pgadvisor;

namespace {
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("rails: one migration per index, outside a transaction", "[rails-layout]") {
    emit::MigrationOptions options;
    options.layout = catalog::MigrationLayout::Rails;
    options.timestamp = "20240229235958";
    const auto files = emit::render_migrations(test::shop_recommendations(), options);
    const auto ups = test::up_files(files);
    REQUIRE(ups.size() == 4);
    CHECK(ups[0]->relative_path == "20240229235958_add_orders_customer_id_created_at_part_idx.rb");
    CHECK(has(ups[0]->content, "class AddOrdersCustomerIdCreatedAtPartIdx < ActiveRecord::Migration[6.1]\n"));
    for (const auto* f : ups) CHECK(has(f->content, "  disable_ddl_transaction!\n"));
    // A partial index: the SQL layouts' statement in a single-quoted Ruby string (no interpolation).
    CHECK(has(ups[0]->content, "    execute '-- A build that fails"));
    CHECK(has(ups[0]->content, "migration\\'s down"));
    CHECK(has(ups[0]->content, "    execute 'DROP INDEX CONCURRENTLY IF EXISTS "));
    // The unique index on plain columns: add_index after its own duplicates check.
    CHECK(has(ups[2]->content, "    # the up migration only checked the data\n"));
    CHECK(has(ups[3]->content,
              "    add_index 'public.cart_items', ['cart_id', 'product_id'], name: "
              "'cart_items_cart_id_product_id_key', unique: true, algorithm: :concurrently\n"));
    CHECK(has(ups[3]->content,
              "    remove_index 'public.cart_items', name: 'cart_items_cart_id_product_id_key', "
              "algorithm: :concurrently\n"));
    CHECK(has(ups[3]->sql, "CREATE UNIQUE INDEX CONCURRENTLY"));
}
