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

std::vector<int> output_column_numbers(std::string_view statement) {
    std::vector<int> out;
    if (auto tree = parse_tree(statement)) collect_positions(*tree.value, out);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

std::vector<TextSpan> value_spans(const std::vector<Token>& tokens, const std::vector<int>& output_column_numbers) {
    std::vector<TextSpan> out;
    for (const auto& t : tokens) {
        if (t.kind != TokenKind::Constant && t.kind != TokenKind::Comment) continue;
        const int start = static_cast<int>(t.start);
        if (t.kind == TokenKind::Constant &&
            std::binary_search(output_column_numbers.begin(), output_column_numbers.end(), start))
            continue;
        out.push_back({start, static_cast<int>(t.end)});
    }
    return out;
}

std::optional<std::string> with_neutral_constants(std::string_view statement) {
    auto tokens = scan_tokens(statement);
    if (!tokens) return std::nullopt;
    return with_neutral_constants(statement, value_spans(*tokens.value, output_column_numbers(statement)));
}

std::optional<std::string> with_neutral_constants(std::string_view statement, const std::vector<TextSpan>& spans) {
    std::string out;
    std::size_t from = 0;
    for (const auto& span : spans) {
        const auto start = static_cast<std::size_t>(span.start), end = static_cast<std::size_t>(span.end);
        if (start < from || end < start || end > statement.size()) return std::nullopt;  // not this text's
        out.append(statement.substr(from, start - from));
        const std::string_view token = statement.substr(start, end - start);
        // A comment starts with -- or /*, which no constant does.
        if (token.starts_with("--") || token.starts_with("/*")) {
            out += ' ';  // still apart, the tokens either side
        } else {
            auto neutral = neutral_constant(token);
            if (!neutral) return std::nullopt;
            out += *neutral;
        }
        from = end;
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
