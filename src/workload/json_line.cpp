#include "workload/json_line.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace pgadvisor::workload {
namespace {

// The escape nlohmann writes for an ASCII byte, or nullptr for one it copies.
const char* ascii_escape(unsigned char c, char (&buffer)[7]) {
    switch (c) {
        case '"': return "\\\"";
        case '\\': return "\\\\";
        case '\b': return "\\b";
        case '\f': return "\\f";
        case '\n': return "\\n";
        case '\r': return "\\r";
        case '\t': return "\\t";
        default:
            if (c >= 0x20) return nullptr;
            static constexpr char kHex[] = "0123456789abcdef";
            buffer[0] = '\\', buffer[1] = 'u', buffer[2] = '0', buffer[3] = '0';
            buffer[4] = kHex[c >> 4], buffer[5] = kHex[c & 0xf], buffer[6] = '\0';
            return buffer;
    }
}

}  // namespace

JsonLine& JsonLine::key(std::string_view name) {
    before_value();
    out_ += '"';
    out_ += name;
    out_ += "\":";
    after_key_ = true;
    return *this;
}

JsonLine& JsonLine::string(std::string_view value) {
    // A byte past ASCII: nlohmann's own UTF-8 check and replacement, on this value alone (rare in a
    // shape's texts; every ASCII byte stands for itself there, which is all this loop knows).
    for (char c : value)
        if (static_cast<unsigned char>(c) >= 0x80) return document(nlohmann::json(value));
    before_value();
    out_ += '"';
    std::size_t run = 0;  // start of the bytes not yet appended
    char buffer[7];
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char* escape = ascii_escape(static_cast<unsigned char>(value[i]), buffer);
        if (!escape) continue;
        out_.append(value.substr(run, i - run));
        out_ += escape;
        run = i + 1;
    }
    out_.append(value.substr(run));
    out_ += '"';
    return *this;
}

JsonLine& JsonLine::boolean(bool value) {
    before_value();
    out_ += value ? "true" : "false";
    return *this;
}

JsonLine& JsonLine::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonLine& JsonLine::number(double value) {
    if (!std::isfinite(value)) return null();
    before_value();
    const std::size_t from = out_.size();
    fmt::format_to(std::back_inserter(out_), "{}", value);  // the fewest digits that read back as `value`
    // Still a double when read back: nlohmann reads "2" as an integer.
    if (out_.find_first_of(".e", from) == std::string::npos) out_ += ".0";
    return *this;
}

JsonLine& JsonLine::document(const nlohmann::json& value) {
    before_value();
    out_ += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return *this;
}

JsonLine& JsonLine::open(char bracket) {
    before_value();
    out_ += bracket;
    has_members_.push_back(false);
    return *this;
}

JsonLine& JsonLine::close(char bracket) {
    out_ += bracket;
    has_members_.pop_back();
    return *this;
}

void JsonLine::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (has_members_.empty()) return;
    if (has_members_.back()) out_ += ',';
    has_members_.back() = true;
}

}  // namespace pgadvisor::workload
