#include "sql/scanner.hpp"

#include <algorithm>

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

std::string without_comments(std::string_view sql) {
    // Every comment token starts with "--" or "/*": text with neither has none, and
    // (not starting with a blank) comes back as it is, with no scan (issue 17).
    const bool blank_first = !sql.empty() && (sql[0] == ' ' || sql[0] == '\t' || sql[0] == '\r' || sql[0] == '\n');
    if (!blank_first && sql.find("--") == std::string_view::npos && sql.find("/*") == std::string_view::npos)
        return std::string(sql);
    auto tokens = scan_tokens(sql);
    if (!tokens) return std::string(sql);
    std::string out;
    std::size_t from = 0;
    for (const auto& t : *tokens.value) {
        if (t.kind != TokenKind::Comment) continue;
        out.append(sql.substr(from, t.start - from));
        while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\n' || out.back() == '\r'))
            out.pop_back();
        from = t.end;
        // A comment between two tokens still separates them.
        if (from < sql.size() && !out.empty() && sql[from] != ' ' && sql[from] != ';' && sql[from] != '\n' &&
            sql[from] != ')' && sql[from] != ',')
            out += ' ';
    }
    out.append(sql.substr(from));
    // Leading blanks left by a comment at the start.
    const auto first = out.find_first_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : out.substr(first);
}

std::string with_constants_masked(std::string_view sql) {
    auto tokens = scan_tokens(sql);
    if (!tokens) return std::string(sql);
    long highest = 0;
    for (const auto& t : *tokens.value) {
        if (t.kind != TokenKind::Parameter || t.end <= t.start + 1) continue;
        const std::string digits(sql.substr(t.start + 1, t.end - t.start - 1));
        if (digits.size() < 10) highest = std::max(highest, std::stol(digits));
    }
    std::string out;
    std::size_t from = 0;
    for (const auto& t : *tokens.value) {
        if (t.kind != TokenKind::Constant) continue;
        out.append(sql.substr(from, t.start - from));
        out += '$';
        out += std::to_string(++highest);
        from = t.end;
    }
    out.append(sql.substr(from));
    return out;
}

bool keyword_is(std::string_view text, std::string_view word) {
    if (text.size() != word.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) != word[i]) return false;
    }
    return true;
}

bool is_value_keyword(std::string_view word) {
    return keyword_is(word, "true") || keyword_is(word, "false") || keyword_is(word, "null");
}

std::vector<ValueToken> value_tokens(std::string_view sql) {
    std::vector<ValueToken> out;
    auto tokens = scan_tokens(sql);
    if (!tokens) return out;
    for (const auto& t : *tokens.value) {
        if (t.kind == TokenKind::Constant || t.kind == TokenKind::Parameter ||
            (t.kind == TokenKind::Keyword && is_value_keyword(sql.substr(t.start, t.end - t.start))))
            out.push_back({t.start, t.end, t.kind == TokenKind::Parameter});
    }
    return out;
}

std::string shown_expression(std::string_view expression, bool show_literals) {
    return show_literals ? std::string(expression) : with_constants_masked(expression);
}

}  // namespace pgadvisor::sql
