#include "sql/text.hpp"

#include <algorithm>

namespace pgadvisor::sql {
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string trim_underscores(std::string s) {
    while (!s.empty() && s.back() == '_') s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && s[start] == '_') ++start;
    return s.substr(start);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += sep;
        out += items[i];
    }
    return out;
}

std::string cut_utf8_prefix(const std::string& s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    std::size_t end = max_bytes;
    while (end > 0 && is_continuation(static_cast<unsigned char>(s[end]))) --end;
    return s.substr(0, end);
}

// Non-ASCII letters are kept as they are (their bytes are >= 0x80); spaces,
// quotes, parentheses and operators become one '_'. The result then needs no
// quoting in most cases, and never a doubled quote.
std::string name_word(std::string_view text) {
    std::string out;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) out += ch;
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    return trim_underscores(out);
}

std::string psql_script_as_sql(std::string_view script, std::size_t* meta_commands) {
    std::string out(script);
    std::size_t count = 0;
    for (std::size_t at = 0; at < out.size();) {
        std::size_t end = out.find('\n', at);
        if (end == std::string::npos) end = out.size();
        if (out[at] == '\\') {
            // Blanks up to the line's end (a \r before \n stays: it is a line break too).
            std::size_t stop = end;
            if (stop > at && out[stop - 1] == '\r') --stop;
            std::fill(out.begin() + static_cast<std::ptrdiff_t>(at), out.begin() + static_cast<std::ptrdiff_t>(stop),
                      ' ');
            out[at] = ';';
            ++count;
        }
        at = end + 1;
    }
    if (meta_commands) *meta_commands = count;
    return out;
}

}  // namespace pgadvisor::sql
