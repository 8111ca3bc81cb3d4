#pragma once
// One JSON record written straight into its line, for the records a digest writes by
// the tens of thousands (a shape's). nlohmann's document for each was a map node per
// member, built, printed and freed: 10-14% of digest's CPU on a log of 50,000 shapes
// (docs/benchmarks.md, issue 17). The text is the one nlohmann's dump (no indent,
// invalid UTF-8 replaced) gives for the same values, up to the order of an object's
// members and a double's digits (the fewest that read back as the same double; an
// integral double keeps its ".0", a NaN or infinity is null, as there):
// tests/workload/json_line_test.cpp compares the two.
//
// Takes: values in the order they are written, a key before each member's value.
// Gives: the line (without its newline).

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgadvisor::workload {

class JsonLine {
public:
    JsonLine& open_object() { return open('{'); }
    JsonLine& close_object() { return close('}'); }
    JsonLine& open_array() { return open('['); }
    JsonLine& close_array() { return close(']'); }
    // The next member's name, a record's own (ASCII that needs no escape): its value comes next.
    JsonLine& key(std::string_view name);

    JsonLine& string(std::string_view value);
    JsonLine& boolean(bool value);
    JsonLine& null();
    JsonLine& number(double value);
    template <std::integral T>
    requires(!std::same_as<T, bool>) JsonLine& number(T value) {
        before_value();
        char digits[24];
        const char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        out_.append(digits, static_cast<std::size_t>(end - digits));
        return *this;
    }
    // A value as nlohmann prints it, for the parts of a record that are documents already.
    JsonLine& document(const nlohmann::json& value);

    // The line; the writer is empty again.
    std::string take() { return std::exchange(out_, {}); }

private:
    JsonLine& open(char bracket);
    JsonLine& close(char bracket);
    void before_value();

    std::string out_;
    std::vector<bool> has_members_;  // per open object or array
    bool after_key_ = false;
};

}  // namespace pgadvisor::workload
