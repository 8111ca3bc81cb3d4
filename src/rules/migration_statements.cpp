#include "rules/migration_statements.hpp"

#include "sql/parser.hpp"
#include "sql/text.hpp"

namespace pgadvisor::rules {

std::vector<MigrationStatement> migration_statements(std::string_view script) {
    std::vector<MigrationStatement> out;
    // A plain migration may hold psql meta-commands (\gexec): the SQL around them, same offsets.
    const std::string sql_text = sql::psql_script_as_sql(script);
    const std::string_view text = sql_text;
    auto spans = sql::split_statements(text);
    if (!spans) return out;
    sql::LineCounter lines(text);  // statements ascend: counted once, not from the start each time
    for (const auto& span : *spans.value) {
        const std::string_view body = text.substr(span.offset, span.length);
        auto read = sql::read_statements(body);
        if (!read || read.value->empty()) continue;
        MigrationStatement s;
        s.statement = std::move(read.value->front());
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
        s.line = lines.line_of(s.offset);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace pgadvisor::rules
