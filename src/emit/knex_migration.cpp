#include "emit/knex_migration.hpp"

#include <sstream>

#include "emit/python_text.hpp"

namespace pgadvisor::emit {
namespace {

// "-- text" lines as "// text" lines (python_comment's "#" lines, "#" made "//").
std::string js_comment(std::string_view sql_comment) {
    std::string out;
    std::istringstream in(python_comment(sql_comment));
    for (std::string line; std::getline(in, line);) out += std::string("//") + line.substr(1) + "\n";
    return out;
}

}  // namespace

std::string knex_migration_file(const KnexMigrationInput& in) {
    std::string out = js_comment(in.header_comment);
    out += "\n// CREATE/DROP INDEX CONCURRENTLY refuses a transaction block: run outside one.\n";
    out += "exports.config = { transaction: false };\n\n";
    out += std::string("exports.up = async function (knex) {\n  await knex.raw(") + js_string(in.statement_sql) +
           ");\n};\n\n";
    out += "exports.down = async function (knex) {\n";
    if (in.reverse_sql.empty()) out += "  // the up migration only checked the data\n";
    else out += std::string("  await knex.raw(") + js_string(in.reverse_sql) + ");\n";
    return out + "};\n";
}

}  // namespace pgadvisor::emit
