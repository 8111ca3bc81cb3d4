#include "rules/index_not_concurrently.hpp"

#include <fmt/core.h>

#include <cctype>
#include <set>
#include <variant>

#include "catalog/resolve.hpp"
#include "rules/index_facts.hpp"
#include "rules/migration_statements.hpp"
#include "sql/quote.hpp"

namespace pgadvisor::rules {
namespace {

// A relation the file itself creates: "schema.name" as written, and the bare
// name (an unqualified CREATE then CREATE INDEX names the same table).
std::string created_key(const sql::RelationName& r) { return r.schema + "." + r.name; }

class IndexNotConcurrently : public Rule {
public:
    explicit IndexNotConcurrently(const RuleConfig& config)
        : Rule(config), assume_existing_(config.flag("assume_existing_when_unknown")) {}

    void finish(const RuleInput& input, std::vector<Finding>& out) override {
        for (const auto& m : input.migrations) check_file(m, out);
    }

private:
    void check_file(const MigrationInput& m, std::vector<Finding>& out) const {
        std::set<std::string> created;
        for (const auto& s : migration_statements(m.text)) {
            if (const auto* table = std::get_if<sql::CreateTable>(&s.statement)) {
                created.insert(created_key(table->relation));
                continue;
            }
            if (const auto* as = std::get_if<sql::CreateTableAs>(&s.statement)) {  // also CREATE MATERIALIZED VIEW
                created.insert(created_key(as->relation));
                continue;
            }
            const auto* index = std::get_if<sql::CreateIndex>(&s.statement);
            if (!index || index->concurrent) continue;
            const sql::RelationName& rel = index->relation;
            if (rel.name.empty() || created.count(created_key(rel))) continue;  // new table: nobody waits on its lock

            const catalog::Table* table = nullptr;
            if (m.before) table = catalog::resolve_table(*m.before, rel.schema, rel.name);
            if (!table && !assume_existing_) continue;
            report(m, s, *index, table, out);
        }
    }

    void report(const MigrationInput& m, const MigrationStatement& s, const sql::CreateIndex& index,
                const catalog::Table* table, std::vector<Finding>& out) const {
        const sql::RelationName& rel = index.relation;
        Finding f = make_finding();
        const std::string name = table ? table->qualified_name()
                                       : (rel.schema.empty() ? rel.name : rel.schema + "." + rel.name);
        f.confidence = table ? Confidence::High : Confidence::Medium;
        f.schema = table ? table->schema : rel.schema;
        f.table = rel.name;
        const std::string& index_name = index.name;
        f.title = fmt::format("CREATE INDEX{} on existing table {} without CONCURRENTLY",
                              index_name.empty() ? "" : " " + index_name, name);
        f.explanation = fmt::format(
            "{} {}. A plain CREATE INDEX holds a SHARE lock on the table until the build ends: every INSERT, "
            "UPDATE and DELETE on it waits for the whole build, which on a large table means minutes of blocked writes.",
            table ? "The table" : "The table (not in the schema given, so assumed to exist)",
            table ? "existed before this migration" : "is not created in this file");
        if (table && table->partitioned)
            f.fix =
                "Partitioned tables do not accept CONCURRENTLY: create the index ON ONLY the parent, build each "
                "partition's index with CREATE INDEX CONCURRENTLY, then ALTER INDEX ... ATTACH PARTITION each one.";
        else
            f.fix =
                "Use CREATE INDEX CONCURRENTLY (it cannot run inside a transaction block: mark the migration as "
                "non-transactional in your tool). If the build fails it leaves an INVALID index: drop it and retry.";
        // PostgreSQL refuses CONCURRENTLY on a partitioned table: no one-statement rewrite to offer.
        if (!(table && table->partitioned)) f.fix_sql = fix_sql(m.text, s, index);
        f.locations.push_back({m.file, s.line, sql_line_end(m.text, s)});
        f.key = fmt::format("{}:{}", m.file, index_name.empty() ? name : index_name);
        out.push_back(std::move(f));
    }

    static int sql_line_end(const std::string& text, const MigrationStatement& s) {
        std::size_t end = s.end;
        while (end > s.offset && (text[end - 1] == '\n' || text[end - 1] == ' ' || text[end - 1] == ';')) --end;
        int line = s.line;
        for (std::size_t i = s.offset; i < end; ++i)
            if (text[i] == '\n') ++line;
        return line;
    }

    // The statement with CONCURRENTLY (and IF NOT EXISTS when it names the index)
    // put in from the parse tree: the rest of the text is kept as the user wrote it,
    // starting from the relation's position in the statement.
    static std::string fix_sql(const std::string& text, const MigrationStatement& s, const sql::CreateIndex& index) {
        const long rel_loc = index.relation.location;
        const std::string& index_name = index.name;
        std::string head = std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY ";
        if (!index_name.empty()) head += "IF NOT EXISTS " + sql::quote_ident(index_name) + " ";
        head += "ON ";
        std::size_t from = s.span_offset + static_cast<std::size_t>(rel_loc);
        std::size_t to = s.end;
        if (rel_loc < 0 || from >= to) return "";
        while (to > from && (text[to - 1] == ';' || std::isspace(static_cast<unsigned char>(text[to - 1])))) --to;
        return head + text.substr(from, to - from) + ";";
    }

    bool assume_existing_;
};

}  // namespace

std::unique_ptr<Rule> create_index_not_concurrently(const RuleConfig& config) {
    return std::make_unique<IndexNotConcurrently>(config);
}

}  // namespace pgadvisor::rules
