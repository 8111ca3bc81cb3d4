#include "sql/compact_json.hpp"

#include "sql/text.hpp"

#include <cstdint>
#include <string>
#include <utility>

namespace pgadvisor::sql {
namespace {

using nlohmann::json;

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
                const std::size_t n = utf8_sequence_length(text_, at_);
                if (n == 0) return false;
                at_ += n;
                continue;
            }
            if (c != '\\') {
                ++at_;
                continue;
            }
            out.append(text_, run, at_ - run);
            // libpg_query writes <, > and & as \u003c, \u003e and \u0026.
            if (!append_json_escape(text_, ++at_, out, /*strict=*/true)) return false;
            run = at_;
        }
        return false;
    }

    std::string_view text_;
    std::size_t at_ = 0;
    int max_depth_;
    bool too_deep_ = false;
};

}  // namespace

CompactJson read_compact_json(std::string_view text, int max_depth) { return Reader(text, max_depth).read(); }

}  // namespace pgadvisor::sql
