#include "ingest/shape_key.hpp"

namespace pgadvisor::ingest {
namespace {

bool word_start(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }
bool word_char(unsigned char c) { return word_start(c) || (c >= '0' && c <= '9') || c == '$'; }
bool digit(unsigned char c) { return c >= '0' && c <= '9'; }
// PostgreSQL's operator characters: two adjacent ones may form one operator,
// so a space between them is kept.
bool op_char(unsigned char c) {
    switch (c) {
        case '+': case '-': case '*': case '/': case '<': case '>': case '=': case '~': case '!':
        case '@': case '#': case '%': case '^': case '&': case '|': case '`': case '?':
            return true;
        default: return false;
    }
}

enum class Last { None, Word, Op, Punct };

}  // namespace

std::optional<std::string> shape_key(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    Last last = Last::None;
    bool space_pending = false;
    std::size_t i = 0, n = s.size();
    // Emit a token, with a single space where one is needed to keep tokens apart.
    auto sep = [&](Last kind) {
        if (space_pending && last != Last::None && kind == last && kind != Last::Punct) out += ' ';
        space_pending = false;
        last = kind;
    };
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space_pending = true;
            ++i;
            continue;
        }
        if (c == '-' && i + 1 < n && s[i + 1] == '-') {  // line comment
            while (i < n && s[i] != '\n') ++i;
            space_pending = true;
            continue;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '*') return std::nullopt;  // nested block comments: ask libpg_query
        if (c == '\'') {
            // A standard string; '' is an escaped quote. Backslashes are plain
            // characters (standard_conforming_strings), adjacent strings
            // separated by a newline are one constant: both end as '?'.
            ++i;
            for (;;) {
                if (i >= n) return std::nullopt;  // unterminated
                if (s[i] == '\'') {
                    if (i + 1 < n && s[i + 1] == '\'') {
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                ++i;
            }
            sep(Last::Word);
            out += '?';
            continue;
        }
        if (c == '"') {  // quoted identifier, verbatim
            std::size_t start = i++;
            while (i < n && !(s[i] == '"' && !(i + 1 < n && s[i + 1] == '"'))) i += (s[i] == '"') ? 2 : 1;
            if (i >= n) return std::nullopt;
            ++i;
            sep(Last::Word);
            out.append(s.substr(start, i - start));
            continue;
        }
        if (c == '$') {
            if (i + 1 < n && digit(static_cast<unsigned char>(s[i + 1]))) {
                // $n parameters keep their number (a parameter is not a constant for libpg_query).
                std::size_t start = i++;
                while (i < n && digit(static_cast<unsigned char>(s[i]))) ++i;
                sep(Last::Word);
                out.append(s.substr(start, i - start));
                continue;
            }
            return std::nullopt;  // dollar quoting
        }
        // A minus sign in front of a number after an operator, '(' or ',' is
        // part of the constant (the grammar folds it: "+ -1" parses like "+ 1").
        if (c == '-' && (last == Last::Op || last == Last::Punct || last == Last::None) && i + 1 < n &&
            (digit(static_cast<unsigned char>(s[i + 1])) ||
             (s[i + 1] == '.' && i + 2 < n && digit(static_cast<unsigned char>(s[i + 2]))))) {
            ++i;
            c = static_cast<unsigned char>(s[i]);
        }
        if (digit(c) || (c == '.' && i + 1 < n && digit(static_cast<unsigned char>(s[i + 1])))) {
            // Numeric constant: digits, '.', exponent, underscores (PG16), hex/oct/bin prefixes.
            while (i < n) {
                unsigned char d = static_cast<unsigned char>(s[i]);
                if (digit(d) || d == '.' || d == '_' || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z')) {
                    if ((d == 'e' || d == 'E') && i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
                    ++i;
                } else {
                    break;
                }
            }
            sep(Last::Word);
            out += '?';
            continue;
        }
        if (word_start(c)) {
            std::size_t start = i;
            while (i < n && word_char(static_cast<unsigned char>(s[i]))) ++i;
            // E'..', B'..', X'..', U&'..', N'..' strings have their own escape rules.
            if (i < n && (s[i] == '\'' || (s[i] == '&' && i + 1 < n && (s[i + 1] == '\'' || s[i + 1] == '"'))))
                return std::nullopt;
            sep(Last::Word);
            for (std::size_t k = start; k < i; ++k) {
                char ch = s[k];
                out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch;
            }
            continue;
        }
        if (op_char(c)) {
            sep(Last::Op);
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        if (c == '\\' || c == ':' ) {
            // psql meta-commands and :variables are not SQL; '::' casts are.
            if (c == ':' && i + 1 < n && s[i + 1] == ':') {
                sep(Last::Punct);
                out += "::";
                i += 2;
                continue;
            }
            if (c == '\\') return std::nullopt;
        }
        sep(Last::Punct);
        out += static_cast<char>(c);
        ++i;
    }
    // A trailing semicolon does not change the statement.
    while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
    // Collapse constant lists: "(?,?,?)" -> "(?)" (libpg_query's fingerprint ignores IN-list length).
    std::string collapsed;
    collapsed.reserve(out.size());
    for (std::size_t k = 0; k < out.size(); ++k) {
        if (out[k] == '(' && k + 2 < out.size() && out[k + 1] == '?' && (out[k + 2] == ',' || out[k + 2] == ')')) {
            std::size_t j = k + 1;
            bool ok = false;
            while (j < out.size() && out[j] == '?') {
                if (j + 1 < out.size() && out[j + 1] == ')') {
                    ok = true;
                    break;
                }
                if (j + 1 < out.size() && out[j + 1] == ',') j += 2;
                else break;
            }
            if (ok) {
                // Only after IN: a VALUES row or a function call keeps its arity.
                std::string_view before = std::string_view(collapsed);
                while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
                if (before.size() >= 2 && before.substr(before.size() - 2) == "in" &&
                    (before.size() == 2 || !word_char(static_cast<unsigned char>(before[before.size() - 3])))) {
                    collapsed += "(?)";
                    k = j + 1;
                    continue;
                }
            }
        }
        collapsed += out[k];
    }
    return collapsed;
}

}  // namespace pgadvisor::ingest
