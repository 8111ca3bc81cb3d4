#include "emit/rails_migration.hpp"

#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "advise/orm_fix.hpp"
#include "catalog/index_sql.hpp"
#include "emit/python_text.hpp"
#include "sql/text.hpp"

namespace pgadvisor::emit {
namespace {

// The ActiveRecord version the migration class names: 6.1 runs on ActiveRecord 6.1 and 7.x.
constexpr const char* kMigrationVersion = "6.1";

// A single-quoted Ruby literal: no interpolation; only \\ and \' are escapes.
std::string ruby_string(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

// "add_orders_customer_id_idx" -> "AddOrdersCustomerIdIdx": what ActiveRecord's
// camelize makes of the file name's part after the version.
std::string class_name(const std::string& file_name) {
    return advise::camel_case(std::string_view(file_name).substr(file_name.find('_') + 1));
}

bool add_index_builds_it(const advise::IndexDefinition& index) {
    if (!index.predicate.empty() || !index.include.empty() || index.method != "btree") return false;
    for (const auto& key : index.keys)
        if (key.column.empty() || !key.opclass.empty() || key.nulls_first != key.descending) return false;
    return true;
}

std::string table_ref(const advise::IndexDefinition& index) {
    return ruby_string(index.schema.empty() ? index.table : index.schema + "." + index.table);
}

std::string add_index_call(const advise::IndexDefinition& index) {
    std::vector<std::string> columns, order;
    for (const auto& key : index.keys) {
        columns.push_back(ruby_string(key.column));
        if (key.descending) order.push_back(ruby_string(key.column) + " => :desc");
    }
    std::string call = fmt::format("add_index {}, [{}], name: {}", table_ref(index), sql::join(columns),
                                   ruby_string(catalog::index_name(index)));
    if (index.unique) call += ", unique: true";
    if (!order.empty()) call += std::string(", order: { ") + sql::join(order) + " }";
    return call + ", algorithm: :concurrently";
}

std::string remove_index_call(const advise::IndexDefinition& index) {
    return fmt::format("remove_index {}, name: {}, algorithm: :concurrently", table_ref(index),
                       ruby_string(catalog::index_name(index)));
}

}  // namespace

std::string rails_migration_file(const RailsMigrationInput& in) {
    const bool add_index = in.index && add_index_builds_it(*in.index);
    std::string out = python_comment(in.header_comment);  // '#' comments: the same in Ruby
    out += fmt::format("class {} < ActiveRecord::Migration[{}]\n", class_name(in.file_name), kMigrationVersion);
    out += "  # CREATE/DROP INDEX CONCURRENTLY refuses a transaction block: run outside one.\n";
    out += "  disable_ddl_transaction!\n\n";
    out += std::string("  def up\n    ") +
           (add_index ? add_index_call(*in.index) : std::string("execute ") + ruby_string(in.statement_sql)) +
           "\n  end\n\n";
    out += "  def down\n";
    if (in.reverse_sql.empty()) out += "    # the up migration only checked the data\n";
    else
        out += std::string("    ") +
               (add_index ? remove_index_call(*in.index) : std::string("execute ") + ruby_string(in.reverse_sql)) +
               "\n";
    return out + "  end\nend\n";
}

}  // namespace pgadvisor::emit
