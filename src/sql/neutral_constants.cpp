#include "sql/neutral_constants.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "sql/parse_tree.hpp"
#include "sql/parser.hpp"

namespace pgadvisor::sql {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A string's body with each run of characters other than the LIKE wildcards as one 'x'.
std::string neutral_body(std::string_view body) {
    std::string out;
    bool in_run = false;
    for (char c : body) {
        if (c == '%' || c == '_') {
            out += c;
            in_run = false;
        } else if (!in_run) {
            out += 'x';
            in_run = true;
        }
    }
    return out;
}

// A neutral constant of the same kind as `token` (the scanner's Constant token); nullopt for a form not known here.
std::optional<std::string> neutral_constant(std::string_view token) {
    if (token.empty()) return std::nullopt;
    if (is_digit(token[0]) || token[0] == '.') {
        for (char c : token)
            if (!is_digit(c)) return std::string("1.0");
        return std::string("1");
    }
    if (token[0] == '$') {
        // Dollar-quoted: $tag$body$tag$.
        const auto tag_end = token.find('$', 1);
        if (tag_end == std::string_view::npos) return std::nullopt;
        const std::string_view tag = token.substr(0, tag_end + 1);
        if (token.size() < 2 * tag.size()) return std::nullopt;
        const std::string_view body = token.substr(tag.size(), token.size() - 2 * tag.size());
        return std::string(tag) + neutral_body(body) + std::string(tag);
    }
    // '...', E'...', N'...', U&'...', B'...', X'...': a prefix, then a quoted body.
    const auto quote = token.find('\'');
    if (quote == std::string_view::npos || quote > 2 || token.size() < quote + 2 || token.back() != '\'')
        return std::nullopt;
    const std::string prefix(token.substr(0, quote));
    const char kind = prefix.empty() ? '\0' : static_cast<char>(std::tolower(static_cast<unsigned char>(prefix[0])));
    if (kind == 'b' || kind == 'x') return prefix + "'0'";
    const std::string_view body = token.substr(quote + 1, token.size() - quote - 2);
    return prefix + "'" + neutral_body(body) + "'";
}

// Where the integers that name an output column by position are, over the whole tree.
void collect_positions(const tree::json& node, std::vector<int>& out) {
    if (node.is_array()) {
        for (const auto& item : node) collect_positions(item, out);
        return;
    }
    if (!node.is_object()) return;
    for (const char* clause : {"groupClause", "sortClause", "distinctClause"})
        tree::add_output_column_numbers(tree::items(node, clause), out);
    for (const auto& [_, child] : node.items()) collect_positions(child, out);
}

std::vector<int> position_numbers(std::string_view statement) {
    std::vector<int> out;
    if (auto tree = parse_tree(statement)) collect_positions(*tree.value, out);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

std::optional<std::string> with_neutral_constants(std::string_view statement) {
    return with_neutral_constants(statement, position_numbers(statement));
}

std::optional<std::string> with_neutral_constants(std::string_view statement, const std::vector<int>& positions) {
    auto tokens = scan_tokens(statement);
    if (!tokens) return std::nullopt;
    std::string out;
    std::size_t from = 0;
    for (const auto& t : *tokens.value) {
        if (t.kind != TokenKind::Constant && t.kind != TokenKind::Comment) continue;
        if (t.kind == TokenKind::Constant &&
            std::binary_search(positions.begin(), positions.end(), static_cast<int>(t.start)))
            continue;
        out.append(statement.substr(from, t.start - from));
        if (t.kind == TokenKind::Comment) {
            out += ' ';  // still apart, the tokens either side
        } else {
            auto neutral = neutral_constant(statement.substr(t.start, t.end - t.start));
            if (!neutral) return std::nullopt;
            out += *neutral;
        }
        from = t.end;
    }
    out.append(statement.substr(from));
    return out;
}

bool looks_like_code_constant(std::string_view v) {
    if (v == "-1" || (v.size() == 1 && v[0] >= '0' && v[0] <= '9')) return true;
    if (v.empty() || v.size() > 32 || v[0] < 'a' || v[0] > 'z') return false;
    return std::all_of(v.begin(), v.end(),
                       [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; });
}

}  // namespace pgadvisor::sql
