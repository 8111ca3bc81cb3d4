#include "sql/parse_tree.hpp"

namespace pgadvisor::sql::tree {

const json* field(const json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

std::string text(const json& obj, std::string_view key) {
    const json* v = field(obj, key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool flag(const json& obj, std::string_view key) {
    const json* v = field(obj, key);
    return v && v->is_boolean() && v->get<bool>();
}

int integer(const json& obj, std::string_view key, int fallback) {
    const json* v = field(obj, key);
    return v && v->is_number_integer() ? v->get<int>() : fallback;
}

const json& items(const json& obj, std::string_view key) {
    static const json empty = json::array();
    const json* v = field(obj, key);
    return v && v->is_array() ? *v : empty;
}

const json& object(const json& obj, std::string_view key) {
    static const json empty = json::object();
    const json* v = field(obj, key);
    return v && v->is_object() ? *v : empty;
}

std::pair<std::string_view, const json*> node(const json& n) {
    if (!n.is_object() || n.size() != 1) return {{}, nullptr};
    auto it = n.begin();
    return {std::string_view(it.key()), &it.value()};
}

const json* node_as(const json& n, std::string_view type) {
    auto [t, body] = node(n);
    return t == type ? body : nullptr;
}

std::string string_node(const json& n) {
    if (const json* s = node_as(n, "String")) return text(*s, "sval");
    return {};
}

std::vector<std::string> strings(const json& list) {
    std::vector<std::string> out;
    if (list.is_array())
        for (const auto& n : list) out.push_back(string_node(n));
    return out;
}

std::string last_name(const json& names) {
    if (!names.is_array() || names.empty()) return {};
    return string_node(names.back());
}

void add_output_column_numbers(const json& items, std::vector<int>& out) {
    if (!items.is_array()) return;
    for (const auto& item : items) {
        const json* sort_by = node_as(item, "SortBy");
        const json& key = sort_by ? object(*sort_by, "node") : item;
        if (const json* c = node_as(key, "A_Const"); c && field(*c, "ival")) out.push_back(integer(*c, "location", -1));
    }
}

}  // namespace pgadvisor::sql::tree
