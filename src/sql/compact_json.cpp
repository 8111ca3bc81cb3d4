#include "sql/compact_json.hpp"

#include <cstdint>
#include <string>
#include <utility>

namespace pgadvisor::sql {
namespace {

using nlohmann::json;

// The length of the UTF-8 sequence starting at s[0] (a byte of 0x80 or more),
// or 0 when it is not one nlohmann accepts (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view s) {
    const auto byte = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
    const auto tail = [&](std::size_t i, unsigned lo = 0x80, unsigned hi = 0xbf) {
        return byte(i) >= lo && byte(i) <= hi;
    };
    const unsigned b = byte(0);
    if (b >= 0xc2 && b <= 0xdf) return tail(1) ? 2 : 0;
    if (b == 0xe0) return tail(1, 0xa0) && tail(2) ? 3 : 0;
    if ((b >= 0xe1 && b <= 0xec) || b == 0xee || b == 0xef) return tail(1) && tail(2) ? 3 : 0;
    if (b == 0xed) return tail(1, 0x80, 0x9f) && tail(2) ? 3 : 0;
    if (b == 0xf0) return tail(1, 0x90) && tail(2) && tail(3) ? 4 : 0;
    if (b >= 0xf1 && b <= 0xf3) return tail(1) && tail(2) && tail(3) ? 4 : 0;
    if (b == 0xf4) return tail(1, 0x80, 0x8f) && tail(2) && tail(3) ? 4 : 0;
    return 0;
}

class Reader {
public:
    Reader(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

    CompactJson read() {
        CompactJson out;
        json document;
        if (value(document, 0) && at_ == text_.size()) out.document = std::move(document);
        out.too_deep = too_deep_;
        return out;
    }

private:
    // One value into `out`; `depth` objects and arrays are open around it.
    bool value(json& out, int depth) {
        if (at_ >= text_.size()) return false;
        switch (text_[at_]) {
            case '{': return object(out, depth + 1);
            case '[': return array(out, depth + 1);
            case '"': {
                std::string s;
                if (!string(s)) return false;
                out = std::move(s);
                return true;
            }
            case 't': return literal("true", out, json(true));
            case 'f': return literal("false", out, json(false));
            case 'n': return literal("null", out, json());
            default: return number(out);
        }
    }

    bool open(int depth) {
        if (depth > max_depth_) too_deep_ = true;
        ++at_;
        return !too_deep_;
    }

    bool object(json& out, int depth) {
        if (!open(depth)) return false;
        out = json::object();
        auto& members = out.get_ref<json::object_t&>();
        if (next_is('}')) return true;
        do {
            std::string key;
            if (!string(key) || !next_is(':')) return false;
            // A repeated key keeps its last value, as nlohmann's parser does.
            auto [it, inserted] = members.try_emplace(std::move(key));
            if (!value(it->second, depth)) return false;
        } while (next_is(','));
        return next_is('}');
    }

    bool array(json& out, int depth) {
        if (!open(depth)) return false;
        out = json::array();
        auto& items = out.get_ref<json::array_t&>();
        if (next_is(']')) return true;
        do {
            if (!value(items.emplace_back(), depth)) return false;
        } while (next_is(','));
        return next_is(']');
    }

    bool next_is(char c) {
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }

    bool literal(std::string_view word, json& out, json word_value) {
        if (text_.substr(at_, word.size()) != word) return false;
        at_ += word.size();
        out = std::move(word_value);
        return true;
    }

    // An integer as nlohmann gives it: unsigned unless negative. A fraction or
    // an exponent is not compact JSON of libpg_query's.
    bool number(json& out) {
        const bool negative = next_is('-');
        const std::size_t first = at_;
        std::uint64_t v = 0;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
            if (v > (UINT64_MAX - 9) / 10) return false;  // nlohmann would make it a float
            v = v * 10 + static_cast<unsigned>(text_[at_++] - '0');
        }
        const std::size_t digits = at_ - first;
        if (digits == 0 || (digits > 1 && text_[first] == '0')) return false;
        if (at_ < text_.size() && (text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E')) return false;
        if (!negative) {
            out = v;
        } else {
            if (v > static_cast<std::uint64_t>(INT64_MAX)) return false;
            out = -static_cast<std::int64_t>(v);
        }
        return true;
    }

    // A string without control characters or bytes that are not UTF-8 (nlohmann refuses both).
    bool string(std::string& out) {
        if (!next_is('"')) return false;
        std::size_t run = at_;
        while (at_ < text_.size()) {
            const unsigned char c = static_cast<unsigned char>(text_[at_]);
            if (c == '"') {
                out.append(text_, run, at_ - run);
                ++at_;
                return true;
            }
            if (c < 0x20) return false;
            if (c >= 0x80) {
                const std::size_t n = utf8_sequence(text_.substr(at_));
                if (n == 0) return false;
                at_ += n;
                continue;
            }
            if (c != '\\') {
                ++at_;
                continue;
            }
            out.append(text_, run, at_ - run);
            if (++at_ >= text_.size()) return false;
            switch (text_[at_]) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u':
                    if (!unicode_escape(out)) return false;
                    run = at_;
                    continue;
                default: return false;
            }
            run = ++at_;
        }
        return false;
    }

    // The four hex digits after "\u" (at_ is on the u), advancing past them.
    bool hex4(unsigned& v) {
        if (at_ + 5 > text_.size()) return false;
        v = 0;
        for (std::size_t i = at_ + 1; i < at_ + 5; ++i) {
            const char c = text_[i];
            const int d = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
            if (d < 0) return false;
            v = v * 16 + static_cast<unsigned>(d);
        }
        at_ += 5;
        return true;
    }

    // libpg_query writes <, > and & as \u003c, \u003e and \u0026. A surrogate
    // pair is one code point; a lone surrogate is left to nlohmann (it refuses it).
    bool unicode_escape(std::string& out) {
        unsigned cp = 0;
        if (!hex4(cp) || (cp >= 0xdc00 && cp <= 0xdfff)) return false;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            unsigned low = 0;
            if (!next_is('\\') || at_ >= text_.size() || text_[at_] != 'u' || !hex4(low) || low < 0xdc00 ||
                low > 0xdfff)
                return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
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
        return true;
    }

    std::string_view text_;
    std::size_t at_ = 0;
    int max_depth_;
    bool too_deep_ = false;
};

}  // namespace

CompactJson read_compact_json(std::string_view text, int max_depth) { return Reader(text, max_depth).read(); }

}  // namespace pgadvisor::sql
