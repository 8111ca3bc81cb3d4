#pragma once
// A shape's few sample parameter sets (ShapeInfo::samples), packed in one
// buffer. As a std::vector of std::vector<LiteralValue> each value took 48
// bytes and each set its own allocation: about 800 bytes a shape, 40 MB of the
// 50,000-shape log's peak (issue 17: 50,000 shapes in at most 200 MB). Read as
// that vector was: size, iteration (each set decoded as it is reached),
// push_back, find.
//
// Takes: parameter sets (std::vector<LiteralValue>). Gives: them back, in order.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::workload {

// One literal's value in one execution: a constant from the text or a bound
// parameter. Values are user data: never printed unless --show-literals.
struct LiteralValue {
    std::optional<std::string> text;  // nullopt for NULL or unknown
    bool known = false;               // false when the value could not be read
    bool operator==(const LiteralValue&) const = default;
};

class LiteralSamples {
public:
    using Sample = std::vector<LiteralValue>;

    // Reads the sets in order; operator* gives the current one, decoded.
    class const_iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = Sample;
        using difference_type = std::ptrdiff_t;
        using pointer = const Sample*;
        using reference = const Sample&;

        const_iterator(const std::string* bytes, std::size_t offset);
        const Sample& operator*() const { return current_; }
        const Sample* operator->() const { return &current_; }
        const_iterator& operator++();
        bool operator==(const const_iterator& other) const { return offset_ == other.offset_; }

    private:
        void decode();
        const std::string* bytes_;
        std::size_t offset_;  // where the current set starts
        std::size_t next_;    // where the next one starts
        Sample current_;
    };

    LiteralSamples() = default;
    LiteralSamples(const std::vector<Sample>& samples);  // NOLINT: implicit, as the vector it replaces
    LiteralSamples(std::initializer_list<Sample> samples) : LiteralSamples(std::vector<Sample>(samples)) {}

    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    const_iterator begin() const { return {&bytes_, 0}; }
    const_iterator end() const { return {&bytes_, bytes_.size()}; }
    // Appends a set; the buffer holds no spare room (a shape keeps a few, then none are added).
    void push_back(const Sample& sample);
    bool operator==(const LiteralSamples&) const = default;
    // The sets as stored, for loading them into the cache ahead of a search (WorkloadBuilder::prefetch).
    std::string_view packed() const { return bytes_; }

private:
    std::string bytes_;  // per set: its value count, then per value a tag and its text (varint lengths)
    std::uint32_t count_ = 0;
};

}  // namespace pgadvisor::workload
