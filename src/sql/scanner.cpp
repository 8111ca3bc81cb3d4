#include "sql/scanner.hpp"

#include "sql/parser.hpp"

namespace pgadvisor::sql {

std::vector<std::string> comments_of(std::string_view sql) {
    std::vector<std::string> out;
    auto tokens = scan_tokens(sql);
    if (!tokens) return out;
    for (const auto& t : *tokens.value) {
        if (t.kind != TokenKind::Comment) continue;
        std::string_view c = sql.substr(t.start, t.end - t.start);
        if (c.starts_with("/*")) {
            c.remove_prefix(2);
            if (c.ends_with("*/")) c.remove_suffix(2);
        } else if (c.starts_with("--")) {
            c.remove_prefix(2);
        }
        out.emplace_back(c);
    }
    return out;
}

}  // namespace pgadvisor::sql
