#include "sql/tree_from_protobuf.hpp"

#include <pg_query/pg_query.pb-c.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace pgadvisor::sql {
namespace {

using nlohmann::json;

// The JSON keys of one message's fields, in its descriptor's order.
struct MessageKeys {
    std::vector<std::string> keys;
    // The text of a String, Float or BitString value, which the printer writes
    // even when empty ('' is {"String":{"sval":""}}); protobuf does not write an
    // empty string. Elsewhere an empty string is a field left unset, omitted by both.
    const std::string* written_when_empty = nullptr;
};

// The keys of every message a parse result can hold, found once by walking the
// descriptors from ParseResult down.
class Keys {
public:
    Keys() {
        std::map<std::pair<std::string_view, std::string_view>, const char*> named;
        for (const auto& n : detail::pg_query_json_names()) named.emplace(std::pair{n.message, n.field}, n.key);
        add(&pg_query__parse_result__descriptor, named);
    }

    const MessageKeys& of(const ProtobufCMessageDescriptor* d) const { return by_message_.at(d); }

private:
    void add(const ProtobufCMessageDescriptor* d,
             const std::map<std::pair<std::string_view, std::string_view>, const char*>& named) {
        if (by_message_.count(d)) return;
        const std::string_view message = d->short_name;
        const bool value_node = message == "String" || message == "Float" || message == "BitString";
        MessageKeys& keys = by_message_[d];
        keys.keys.reserve(d->n_fields);
        for (unsigned i = 0; i < d->n_fields; ++i) {
            const ProtobufCFieldDescriptor& f = d->fields[i];
            auto it = named.find({message, f.name});
            // A field without a json_name (ParseResult's, A_Const's, the value
            // nodes') is printed under its proto name.
            keys.keys.emplace_back(it != named.end() ? it->second : f.name);
        }
        if (value_node && d->n_fields == 1 && d->fields[0].type == PROTOBUF_C_TYPE_STRING)
            keys.written_when_empty = &keys.keys[0];
        for (unsigned i = 0; i < d->n_fields; ++i)
            if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
                add(static_cast<const ProtobufCMessageDescriptor*>(d->fields[i].descriptor), named);
    }

    std::unordered_map<const ProtobufCMessageDescriptor*, MessageKeys> by_message_;
};

const Keys& keys() {
    static const Keys k;
    return k;
}

// A number as nlohmann's parser gives it: unsigned when not negative.
json number(std::int64_t v) { return v >= 0 ? json(static_cast<std::uint64_t>(v)) : json(v); }

// The bytes of one packed message, read front to back.
class Reader {
public:
    explicit Reader(std::string_view bytes)
        : at_(reinterpret_cast<const std::uint8_t*>(bytes.data())), end_(at_ + bytes.size()) {}

    bool done() const { return at_ == end_; }

    bool varint(std::uint64_t& v) {
        v = 0;
        for (int shift = 0; shift < 64 && at_ < end_; shift += 7) {
            const std::uint8_t b = *at_++;
            v |= std::uint64_t{b & 0x7fu} << shift;
            if (!(b & 0x80)) return true;
        }
        return false;
    }

    bool fixed(std::size_t size, std::uint64_t& v) {
        if (static_cast<std::size_t>(end_ - at_) < size) return false;
        v = 0;
        for (std::size_t i = 0; i < size; ++i) v |= std::uint64_t{at_[i]} << (8 * i);
        at_ += size;
        return true;
    }

    bool length_delimited(std::string_view& bytes) {
        std::uint64_t n = 0;
        if (!varint(n) || n > static_cast<std::uint64_t>(end_ - at_)) return false;
        bytes = {reinterpret_cast<const char*>(at_), static_cast<std::size_t>(n)};
        at_ += n;
        return true;
    }

    bool skip(unsigned wire_type) {
        std::uint64_t v = 0;
        std::string_view bytes;
        switch (wire_type) {
            case 0: return varint(v);
            case 1: return fixed(8, v);
            case 2: return length_delimited(bytes);
            case 5: return fixed(4, v);
            default: return false;  // groups: not in libpg_query's messages
        }
    }

private:
    const std::uint8_t* at_;
    const std::uint8_t* end_;
};

constexpr unsigned kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5;

// The JSON of one packed ParseResult, building each object as its message is read.
class Converter {
public:
    explicit Converter(int max_depth) : max_depth_(max_depth) {}

    bool too_deep() const { return too_deep_; }

    // The object of a message of type d, opened at `depth` (the outermost at 1);
    // false when the bytes are not such a message or the tree is too deep.
    bool message(const ProtobufCMessageDescriptor* d, std::string_view bytes, int depth, json& out) {
        if (!enter(depth)) return false;
        if (d == &pg_query__node__descriptor) return node(bytes, depth, out);
        const MessageKeys& keys = keys_.of(d);
        out = json::object();
        auto& members = out.get_ref<json::object_t&>();
        Reader r(bytes);
        while (!r.done()) {
            const ProtobufCFieldDescriptor* f = nullptr;
            unsigned wire = 0;
            if (!field(d, r, f, wire)) return false;
            if (!f) continue;
            const std::string& key = keys.keys[static_cast<std::size_t>(f - d->fields)];
            if (f->label != PROTOBUF_C_LABEL_REPEATED) {
                if (!value(*f, wire, r, depth + 1, members[key])) return false;
                continue;
            }
            json& list = members[key];
            if (list.is_null()) {
                if (!enter(depth + 1)) return false;
                list = json::array();
            }
            if (!repeated(*f, wire, r, depth + 2, list.get_ref<json::array_t&>())) return false;
        }
        // The printer writes a String's text even when empty; protobuf does not.
        if (keys.written_when_empty) members.emplace(*keys.written_when_empty, "");
        return true;
    }

private:
    bool enter(int depth) {
        if (depth > max_depth_) too_deep_ = true;
        return !too_deep_;
    }

    // The next field's tag: f is nullptr (and the field skipped) when d has no such field.
    static bool field(const ProtobufCMessageDescriptor* d, Reader& r, const ProtobufCFieldDescriptor*& f,
                      unsigned& wire) {
        std::uint64_t tag = 0;
        if (!r.varint(tag)) return false;
        wire = static_cast<unsigned>(tag & 7);
        f = tag >> 3 <= 0x1fffffff ? protobuf_c_message_descriptor_get_field(d, static_cast<unsigned>(tag >> 3))
                                   : nullptr;
        return f || r.skip(wire);
    }

    // A Node is {"Type": {...}}: the key of its one set field around that
    // field's message. A Node with none set (a NULL in a list) is {}.
    bool node(std::string_view bytes, int depth, json& out) {
        out = json::object();
        auto& members = out.get_ref<json::object_t&>();
        const ProtobufCMessageDescriptor* d = &pg_query__node__descriptor;
        Reader r(bytes);
        while (!r.done()) {
            const ProtobufCFieldDescriptor* f = nullptr;
            unsigned wire = 0;
            if (!field(d, r, f, wire)) return false;
            if (!f) continue;
            if (f->type != PROTOBUF_C_TYPE_MESSAGE || wire != kLengthDelimited) return false;
            members.clear();  // a oneof: the last one read is the one set
            if (!value(*f, wire, r, depth + 1, members[keys_.of(d).keys[static_cast<std::size_t>(f - d->fields)]]))
                return false;
        }
        return true;
    }

    // One element of a repeated field, or all of a packed run of numbers.
    bool repeated(const ProtobufCFieldDescriptor& f, unsigned wire, Reader& r, int depth, json::array_t& list) {
        const bool packable = f.type != PROTOBUF_C_TYPE_STRING && f.type != PROTOBUF_C_TYPE_MESSAGE &&
                              f.type != PROTOBUF_C_TYPE_BYTES;
        if (!packable || wire != kLengthDelimited) return value(f, wire, r, depth, list.emplace_back());
        std::string_view run;
        if (!r.length_delimited(run)) return false;
        Reader numbers(run);
        const unsigned element_wire = fixed_size(f) == 8 ? kFixed64 : fixed_size(f) == 4 ? kFixed32 : kVarint;
        while (!numbers.done())
            if (!value(f, element_wire, numbers, depth, list.emplace_back())) return false;
        return true;
    }

    static std::size_t fixed_size(const ProtobufCFieldDescriptor& f) {
        switch (f.type) {
            case PROTOBUF_C_TYPE_FIXED64:
            case PROTOBUF_C_TYPE_SFIXED64:
            case PROTOBUF_C_TYPE_DOUBLE: return 8;
            case PROTOBUF_C_TYPE_FIXED32:
            case PROTOBUF_C_TYPE_SFIXED32:
            case PROTOBUF_C_TYPE_FLOAT: return 4;
            default: return 0;
        }
    }

    bool value(const ProtobufCFieldDescriptor& f, unsigned wire, Reader& r, int depth, json& out) {
        if (f.type == PROTOBUF_C_TYPE_MESSAGE || f.type == PROTOBUF_C_TYPE_STRING || f.type == PROTOBUF_C_TYPE_BYTES) {
            std::string_view bytes;
            if (wire != kLengthDelimited || !r.length_delimited(bytes)) return false;
            if (f.type == PROTOBUF_C_TYPE_MESSAGE)
                return message(static_cast<const ProtobufCMessageDescriptor*>(f.descriptor), bytes, depth, out);
            out = std::string(bytes);  // bytes: no parse tree field has them
            return true;
        }
        const std::size_t size = fixed_size(f);
        std::uint64_t v = 0;
        if (size == 0 ? wire != kVarint || !r.varint(v)
                      : wire != (size == 8 ? kFixed64 : kFixed32) || !r.fixed(size, v))
            return false;
        out = scalar(f, v);
        return true;
    }

    static json scalar(const ProtobufCFieldDescriptor& f, std::uint64_t v) {
        switch (f.type) {
            case PROTOBUF_C_TYPE_BOOL: return v != 0;
            case PROTOBUF_C_TYPE_ENUM: {
                const int n = static_cast<std::int32_t>(v);
                const ProtobufCEnumValue* e = protobuf_c_enum_descriptor_get_value(
                    static_cast<const ProtobufCEnumDescriptor*>(f.descriptor), n);
                return e ? json(e->name) : number(n);
            }
            case PROTOBUF_C_TYPE_INT32: return number(static_cast<std::int32_t>(v));
            case PROTOBUF_C_TYPE_SINT32: return number(static_cast<std::int32_t>((v >> 1) ^ (~(v & 1) + 1)));
            case PROTOBUF_C_TYPE_SFIXED32: return number(static_cast<std::int32_t>(static_cast<std::uint32_t>(v)));
            case PROTOBUF_C_TYPE_UINT32:
            case PROTOBUF_C_TYPE_FIXED32: return number(static_cast<std::uint32_t>(v));
            case PROTOBUF_C_TYPE_INT64:
            case PROTOBUF_C_TYPE_SFIXED64: return number(static_cast<std::int64_t>(v));
            case PROTOBUF_C_TYPE_SINT64: return number(static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1)));
            case PROTOBUF_C_TYPE_FLOAT: {
                float x = 0;
                const auto bits = static_cast<std::uint32_t>(v);
                std::memcpy(&x, &bits, sizeof x);
                return x;
            }
            case PROTOBUF_C_TYPE_DOUBLE: {
                double x = 0;
                std::memcpy(&x, &v, sizeof x);
                return x;
            }
            default: return v;  // uint64, fixed64
        }
    }

    const Keys& keys_ = keys();
    int max_depth_;
    bool too_deep_ = false;
};

}  // namespace

TreeFromProtobuf tree_from_protobuf(std::string_view packed, int max_depth) {
    Converter c(max_depth);
    TreeFromProtobuf out;
    json tree;
    if (c.message(&pg_query__parse_result__descriptor, packed, 1, tree)) out.tree = std::move(tree);
    out.too_deep = c.too_deep();
    return out;
}

}  // namespace pgadvisor::sql
