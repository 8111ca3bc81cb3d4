#include "rules/migration_statements.hpp"

#include "sql/parser.hpp"

namespace pgadvisor::rules {

std::vector<MigrationStatement> migration_statements(std::string_view text) {
    std::vector<MigrationStatement> out;
    auto spans = sql::split_statements(text);
    if (!spans) return out;
    for (const auto& span : *spans.value) {
        const std::string_view body = text.substr(span.offset, span.length);
        auto tree = sql::parse_tree(body);
        if (!tree) continue;
        const auto& stmts = (*tree.value)["stmts"];
        if (!stmts.is_array() || stmts.empty() || !stmts[0].contains("stmt")) continue;
        const auto& stmt = stmts[0]["stmt"];
        if (!stmt.is_object() || stmt.empty()) continue;
        MigrationStatement s;
        s.node_type = stmt.begin().key();
        s.node = stmt.begin().value();
        // The span starts right after the previous statement: skip comments and blanks.
        std::size_t first = 0;
        if (auto tokens = sql::scan_tokens(body)) {
            for (const auto& t : *tokens.value)
                if (t.kind != sql::TokenKind::Comment) {
                    first = t.start;
                    break;
                }
        }
        s.span_offset = span.offset;
        s.offset = span.offset + first;
        s.end = span.offset + span.length;
        s.line = sql::line_of_offset(text, s.offset);
        out.push_back(std::move(s));
    }
    return out;
}

RelationName relation_name(const nlohmann::json& range_var) {
    RelationName r;
    if (!range_var.is_object()) return r;
    r.schema = range_var.value("schemaname", "");
    r.name = range_var.value("relname", "");
    return r;
}

}  // namespace pgadvisor::rules
