#include "workload/literal_samples.hpp"

namespace pgadvisor::workload {
namespace {

// A value's tag byte: whether it has a text, whether it is known.
constexpr char kHasText = 1, kKnown = 2;

void put_length(std::string& out, std::size_t n) {
    for (; n >= 0x80; n >>= 7) out += static_cast<char>((n & 0x7f) | 0x80);
    out += static_cast<char>(n);
}

std::size_t get_length(const std::string& in, std::size_t& at) {
    std::size_t n = 0;
    for (int shift = 0;; shift += 7) {
        const auto byte = static_cast<unsigned char>(in[at++]);
        n |= static_cast<std::size_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return n;
    }
}

}  // namespace

LiteralSamples::LiteralSamples(const std::vector<Sample>& samples) {
    for (const auto& s : samples) push_back(s);
}

void LiteralSamples::push_back(const Sample& sample) {
    std::string encoded;
    put_length(encoded, sample.size());
    for (const auto& v : sample) {
        encoded += static_cast<char>((v.text ? kHasText : 0) | (v.known ? kKnown : 0));
        if (!v.text) continue;
        put_length(encoded, v.text->size());
        encoded += *v.text;
    }
    bytes_ += encoded;
    bytes_.shrink_to_fit();
    ++count_;
}

LiteralSamples::const_iterator::const_iterator(const std::string* bytes, std::size_t offset)
    : bytes_(bytes), offset_(offset), next_(offset) {
    decode();
}

LiteralSamples::const_iterator& LiteralSamples::const_iterator::operator++() {
    offset_ = next_;
    decode();
    return *this;
}

void LiteralSamples::const_iterator::decode() {
    current_.clear();
    if (offset_ >= bytes_->size()) return;
    std::size_t at = offset_;
    const std::size_t n = get_length(*bytes_, at);
    current_.resize(n);
    for (auto& v : current_) {
        const char tag = (*bytes_)[at++];
        v.known = (tag & kKnown) != 0;
        if (!(tag & kHasText)) continue;
        const std::size_t length = get_length(*bytes_, at);
        v.text = bytes_->substr(at, length);
        at += length;
    }
    next_ = at;
}

}  // namespace pgadvisor::workload
