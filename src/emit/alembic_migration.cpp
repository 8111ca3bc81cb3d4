#include "emit/alembic_migration.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "catalog/index_sql.hpp"
#include "emit/python_text.hpp"
#include "sql/text.hpp"

namespace pgadvisor::emit {
namespace {

namespace fs = std::filesystem;

// The quoted value of `key = "..."` (or '...') on a line of text starting with key; empty if none.
std::string assigned_string(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key, 0) != 0) continue;
        const std::size_t open = line.find_first_of("'\"", key.size());
        if (open == std::string::npos) return "";
        const std::size_t close = line.find(line[open], open + 1);
        return close == std::string::npos ? "" : line.substr(open + 1, close - open - 1);
    }
    return "";
}

// Whether op.create_index builds exactly this index: plain ascending columns, btree.
bool create_index_builds_it(const advise::IndexDefinition& index) {
    if (!index.predicate.empty() || index.method != "btree") return false;
    for (const auto& key : index.keys)
        if (key.column.empty() || key.descending || key.nulls_first || !key.opclass.empty()) return false;
    return true;
}

std::string python_list(const std::vector<std::string>& items) {
    std::vector<std::string> quoted;
    for (const auto& i : items) quoted.push_back(python_string(i));
    return std::string("[") + sql::join(quoted) + "]";
}

std::string create_index_call(const advise::IndexDefinition& index) {
    std::vector<std::string> columns;
    for (const auto& key : index.keys) columns.push_back(key.column);
    std::string call = fmt::format("op.create_index(\n            {},\n            {},\n            {},\n",
                                   python_string(catalog::index_name(index)), python_string(index.table),
                                   python_list(columns));
    if (!index.schema.empty()) call += std::string("            schema=") + python_string(index.schema) + ",\n";
    if (index.unique) call += "            unique=True,\n";
    if (!index.include.empty())
        call += std::string("            postgresql_include=") + python_list(index.include) + ",\n";
    return call + "            postgresql_concurrently=True,\n        )";
}

std::string drop_index_call(const advise::IndexDefinition& index) {
    std::string call = fmt::format("op.drop_index(\n            {},\n            table_name={},\n",
                                   python_string(catalog::index_name(index)), python_string(index.table));
    if (!index.schema.empty()) call += std::string("            schema=") + python_string(index.schema) + ",\n";
    return call + "            postgresql_concurrently=True,\n        )";
}

std::string autocommit(const std::string& call) {
    return std::string("    with op.get_context().autocommit_block():\n        ") + call + "\n";
}

}  // namespace

std::string read_alembic_head(const std::string& dir) {
    std::vector<std::string> revisions;
    std::set<std::string> downs;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".py") continue;
        std::ifstream in(it->path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string revision = assigned_string(text.str(), "revision");
        if (revision.empty()) continue;
        revisions.push_back(revision);
        downs.insert(assigned_string(text.str(), "down_revision"));
    }
    std::sort(revisions.begin(), revisions.end());
    for (const auto& r : revisions)
        if (!downs.count(r)) return r;
    return "";
}

std::string alembic_revision_file(const AlembicRevisionInput& in) {
    const bool op_create = in.index && create_index_builds_it(*in.index);
    std::string out = std::string("\"\"\"") + python_docstring_line(in.title) + "\n\nRevision ID: " + in.revision +
                      "\nRevises: " + (in.down_revision.empty() ? "" : in.down_revision) + "\n\"\"\"\n";
    out += python_comment(in.header_comment);
    out += "from alembic import op\n\n";
    out += std::string("revision = ") + python_string(in.revision) + "\n";
    out += std::string("down_revision = ") +
           (in.down_revision.empty() ? std::string("None") : python_string(in.down_revision)) +
           "\nbranch_labels = None\ndepends_on = None\n\n\n";
    // CREATE/DROP INDEX CONCURRENTLY refuses a transaction block: the autocommit block
    // commits what the revision did so far and runs these statements outside one.
    out += "def upgrade():\n";
    out += autocommit(op_create
                          ? create_index_call(*in.index)
                          : "op.execute(\n            " +
                                python_text(sqlalchemy_text_escaped(in.statement_sql), "            ") + "\n        )");
    out += "\n\ndef downgrade():\n";
    if (in.reverse_sql.empty()) out += "    pass  # the upgrade only checked the data\n";
    else if (in.index) out += autocommit(drop_index_call(*in.index));
    return out;
}

}  // namespace pgadvisor::emit
