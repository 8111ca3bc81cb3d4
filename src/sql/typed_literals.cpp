#include "sql/typed_literals.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sql/parse_tree.hpp"
#include "sql/parser.hpp"

namespace pgadvisor::sql {
namespace {

using nlohmann::json;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Keywords that can end a type name written before a string constant.
bool ends_type_name(const std::string& keyword) {
    static constexpr std::array<std::string_view, 21> kTypeWords = {
        "interval", "timestamp", "time",    "char",      "character", "varchar", "nchar",
        "bit",      "numeric",   "decimal", "dec",       "int",       "integer", "smallint",
        "bigint",   "real",      "float",   "precision", "boolean",   "zone",    "varying"};
    return std::find(kTypeWords.begin(), kTypeWords.end(), keyword) != kTypeWords.end();
}

bool is_interval_field(const std::string& keyword) {
    return keyword == "year" || keyword == "month" || keyword == "day" || keyword == "hour" || keyword == "minute" ||
           keyword == "second" || keyword == "to";
}

// A cheap look before parsing: a string constant right after an identifier, a
// type keyword or `)` (as in `numeric(10,2) '1.5'`). Most statements have none.
bool may_have_prefix_cast(std::string_view text, const std::vector<Token>& tokens) {
    const Token* previous = nullptr;
    for (const Token& t : tokens) {
        if (t.kind == TokenKind::Comment) continue;
        const bool string_constant = t.kind == TokenKind::Constant && t.end > t.start &&
                                     (text[t.start] == '\'' || text[t.start] == 'E' || text[t.start] == 'e' ||
                                      text[t.start] == 'U' || text[t.start] == 'u' || text[t.start] == '$');
        if (string_constant && previous &&
            (previous->kind == TokenKind::Identifier || previous->ascii == ')' ||
             (previous->kind == TokenKind::Keyword &&
              ends_type_name(lower(text.substr(previous->start, previous->end - previous->start))))))
            return true;
        previous = &t;
    }
    return false;
}

struct PrefixCast {
    std::size_t type_start = 0;   // where the type name begins
    std::size_t const_start = 0;  // where the string constant begins
};

// Every TypeCast of a string constant whose type name comes first, walked without recursion.
std::vector<PrefixCast> prefix_casts(const json& tree) {
    std::vector<PrefixCast> out;
    std::vector<const json*> todo{&tree};
    while (!todo.empty()) {
        const json* n = todo.back();
        todo.pop_back();
        if (n->is_object()) {
            auto cast = n->find("TypeCast");
            if (cast != n->end() && cast->is_object()) {
                const json& c = *cast;
                const int type_at = c.contains("typeName") ? c["typeName"].value("location", -1) : -1;
                const json* constant = c.contains("arg") && c["arg"].contains("A_Const") ? &c["arg"]["A_Const"]
                                                                                         : nullptr;
                const int const_at = constant ? constant->value("location", -1) : -1;
                if (constant && constant->contains("sval") && type_at >= 0 && const_at > type_at)
                    out.push_back({static_cast<std::size_t>(type_at), static_cast<std::size_t>(const_at)});
            }
            for (const auto& [key, value] : n->items())
                if (value.is_structured()) todo.push_back(&value);
        } else if (n->is_array()) {
            for (const auto& value : *n)
                if (value.is_structured()) todo.push_back(&value);
        }
    }
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

// `type 'c' [fields]` -> `'c'::type [fields]`: the replacement text and the end of what it replaces.
std::optional<std::pair<std::string, std::size_t>> as_postfix(std::string_view text, const std::vector<Token>& tokens,
                                                              const PrefixCast& cast) {
    auto at = std::find_if(tokens.begin(), tokens.end(), [&](const Token& t) { return t.start == cast.const_start; });
    if (at == tokens.end() || at->kind != TokenKind::Constant) return std::nullopt;
    const std::string constant(text.substr(at->start, at->end - at->start));
    std::string type = trim(text.substr(cast.type_start, cast.const_start - cast.type_start));
    std::size_t end = at->end;
    // An interval's fields follow its constant: interval '1' day, interval '1:2' minute to second(3).
    for (auto t = at + 1; t != tokens.end(); ++t) {
        const std::string word = lower(text.substr(t->start, t->end - t->start));
        const bool field = t->kind == TokenKind::Keyword && is_interval_field(word);
        const bool precision = t->ascii == '(' && t + 2 < tokens.end() && (t + 2)->ascii == ')' && end > at->end;
        if (field) {
            end = t->end;
        } else if (precision) {
            end = (t + 2)->end;
            t += 2;
        } else {
            break;
        }
    }
    if (end > at->end) type += " " + trim(text.substr(at->end, end - at->end));
    return std::make_pair(constant + "::" + type, end);
}

}  // namespace

std::string prefix_casts_as_postfix(std::string_view statement) {
    auto tokens = scan_tokens(statement);
    return tokens ? prefix_casts_as_postfix(statement, *tokens.value) : std::string(statement);
}

std::string prefix_casts_as_postfix(std::string_view statement, const std::vector<Token>& tokens) {
    if (!may_have_prefix_cast(statement, tokens)) return std::string(statement);
    auto tree = parse_tree(statement);
    if (!tree) return std::string(statement);
    std::vector<PrefixCast> casts = prefix_casts(*tree.value);
    // From the last to the first, so earlier offsets stay valid.
    std::sort(casts.begin(), casts.end(),
              [](const PrefixCast& a, const PrefixCast& b) { return a.type_start > b.type_start; });
    std::string out(statement);
    std::size_t limit = out.size();
    for (const auto& cast : casts) {
        auto replacement = as_postfix(statement, tokens, cast);
        if (!replacement || replacement->second > limit) continue;  // nested in a rewritten span: left as is
        out.replace(cast.type_start, replacement->second - cast.type_start, replacement->first);
        limit = cast.type_start;
    }
    return out;
}

}  // namespace pgadvisor::sql
