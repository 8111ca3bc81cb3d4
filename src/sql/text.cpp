#include "sql/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace pgadvisor::sql {

std::string counted(long long count, std::string_view noun) {
    std::string out = std::to_string(count);
    out += ' ';
    out += noun;
    if (count != 1) out += 's';
    return out;
}
namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The character whose UTF-8 sequence starts at s[i], and the sequence's length;
// nullopt for a byte that starts no valid sequence (then it stands alone).
struct Utf8Char {
    char32_t value = 0;
    std::size_t length = 1;
};
std::optional<Utf8Char> utf8_char_at(std::string_view s, std::size_t i) {
    const std::size_t length = utf8_sequence_length(s, i);
    if (length == 0) return std::nullopt;
    const auto lead = static_cast<unsigned char>(s[i]);
    char32_t value = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) value = (value << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return Utf8Char{value, length};
}

// The length of the SGR colour sequence (ESC [ 1;31 m) at text[i], or 0.
std::size_t colour_sequence_at(std::string_view text, std::size_t i) {
    if (text.substr(i, 2) != "\x1b[") return 0;
    std::size_t end = i + 2;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == ';')) ++end;
    return end < text.size() && text[end] == 'm' ? end + 1 - i : 0;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (c == 0xED) n = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 3;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else return 0;
    if (i + n > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    return n;
}

bool invisible_character(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF;
}

std::string terminal_safe(std::string_view text, bool keep_colors) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t colour = keep_colors ? colour_sequence_at(text, i) : 0) {
            out.append(text.substr(i, colour));
            i += colour;
            continue;
        }
        const auto ch = utf8_char_at(text, i);
        if (!ch) {
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        if (ch->value == '\n' || ch->value == '\t' || !invisible_character(ch->value))
            out.append(text.substr(i, ch->length));
        else if (ch->value < 0x100) out += fmt::format("\\x{:02x}", static_cast<unsigned>(ch->value));
        else out += fmt::format("\\u{:04x}", static_cast<unsigned>(ch->value));
        i += ch->length;
    }
    return out;
}

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

std::string one_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string cut_utf8_prefix(const std::string& s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    std::size_t end = max_bytes;
    while (end > 0 && is_continuation(static_cast<unsigned char>(s[end]))) --end;
    return s.substr(0, end);
}

// Visible non-ASCII characters are kept as they are; spaces, quotes,
// parentheses, operators, controls, bidi overrides and invalid bytes become one '_'. The result then needs no
// quoting in most cases, and never a doubled quote.
std::string name_word(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto ch = utf8_char_at(text, i);
        const std::size_t length = ch ? ch->length : 1;
        const char32_t c = ch ? ch->value : 0;
        if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 0x80 && !invisible_character(c)))
            out.append(text.substr(i, length));
        else if (!out.empty() && out.back() != '_') out += '_';
        i += length;
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

namespace {

bool hex4(std::string_view s, std::size_t i, char32_t& v) {
    if (i + 4 > s.size()) return false;
    v = 0;
    for (std::size_t k = i; k < i + 4; ++k) {
        const char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= static_cast<char32_t>(c - '0');
        else if (c >= 'a' && c <= 'f') v |= static_cast<char32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= static_cast<char32_t>(c - 'A' + 10);
        else return false;
    }
    return true;
}

// The code point of a \u escape, s[i] being its first hex digit; i moves past it
// (and past the low half of a surrogate pair).
std::optional<char32_t> unicode_escape(std::string_view s, std::size_t& i) {
    char32_t cp = 0;
    if (!hex4(s, i, cp)) return std::nullopt;
    i += 4;
    if (cp >= 0xd800 && cp < 0xdc00) {
        char32_t lo = 0;
        if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u' || !hex4(s, i + 2, lo) || lo < 0xdc00 || lo > 0xdfff)
            return std::nullopt;
        i += 6;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    }
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

}  // namespace

bool append_json_escape(std::string_view s, std::size_t& i, std::string& out, bool strict) {
    if (i >= s.size()) return false;
    const char e = s[i++];
    switch (e) {
        case '"':
        case '\\':
        case '/': out += e; return true;
        case 'b': out += '\b'; return true;
        case 'f': out += '\f'; return true;
        case 'n': out += '\n'; return true;
        case 'r': out += '\r'; return true;
        case 't': out += '\t'; return true;
        case 'u': {
            const auto cp = unicode_escape(s, i);
            if (!cp || (strict && *cp >= 0xdc00 && *cp <= 0xdfff)) return false;
            append_utf8(out, *cp);
            return true;
        }
        default: return false;
    }
}

}  // namespace pgadvisor::sql
