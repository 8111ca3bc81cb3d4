#include "workload/request_tags.hpp"

#include <cctype>
#include <optional>
#include <vector>

#include "sql/scanner.hpp"

namespace pgadvisor::workload {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool is_key_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '%';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// key='value' pairs (sqlcommenter). Returns nullopt when the text is not of that form.
std::optional<RequestTags> parse_sqlcommenter(std::string_view s) {
    RequestTags tags;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        const std::size_t key_start = i;
        while (i < s.size() && is_key_char(s[i])) ++i;
        if (i == key_start || i >= s.size() || s[i] != '=') return std::nullopt;
        std::string key = url_decode(s.substr(key_start, i - key_start));
        ++i;  // '='
        if (i >= s.size() || s[i] != '\'') return std::nullopt;
        ++i;
        std::string value;
        bool closed = false;
        while (i < s.size()) {
            if (s[i] == '\\' && i + 1 < s.size()) {
                value += s[i + 1];
                i += 2;
            } else if (s[i] == '\'') {
                closed = true;
                ++i;
                break;
            } else {
                value += s[i++];
            }
        }
        if (!closed) return std::nullopt;
        tags[key] = url_decode(value);
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        if (i < s.size()) {
            if (s[i] != ',') return std::nullopt;
            ++i;
        }
    }
    if (tags.empty()) return std::nullopt;
    return tags;
}

// key:value pairs separated by commas (marginalia / Rails query logs, legacy format).
std::optional<RequestTags> parse_marginalia(std::string_view s) {
    RequestTags tags;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t comma = s.find(',', start);
        std::string_view pair = trim(
            s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        const std::size_t colon = pair.find(':');
        if (colon == std::string_view::npos || colon == 0) return std::nullopt;
        std::string_view key = trim(pair.substr(0, colon));
        for (char c : key)
            if (!is_key_char(c)) return std::nullopt;
        tags[std::string(key)] = std::string(trim(pair.substr(colon + 1)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    if (tags.empty()) return std::nullopt;
    return tags;
}

}  // namespace

std::string url_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

RequestTags parse_tag_comment(std::string_view comment) {
    const std::string_view s = trim(comment);
    if (s.empty()) return {};
    if (auto t = parse_sqlcommenter(s)) return *t;
    if (auto t = parse_marginalia(s)) return *t;
    return {};
}

RequestTags request_tags_of(std::string_view statement) {
    RequestTags all;
    for (const auto& c : sql::comments_of(statement))
        for (auto& [k, v] : parse_tag_comment(c)) all[k] = v;
    return all;
}

std::string route_of(const RequestTags& tags) {
    if (tags.empty()) return {};
    static const std::string kRoute = "route", kController = "controller", kAction = "action";
    if (auto r = tags.find(kRoute); r != tags.end()) return r->second;
    auto c = tags.find(kController);
    if (c == tags.end()) return {};
    auto a = tags.find(kAction);
    return c->second + (a != tags.end() ? "#" + a->second : "");
}

}  // namespace pgadvisor::workload
