#include "sql/nesting.hpp"

namespace pgadvisor::sql {

bool json_nests_deeper_than(std::string_view json, int max_depth) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (in_string) {
            if (c == '\\') ++i;  // the escaped character cannot end the string
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') {
            if (++depth > max_depth) return true;
        } else if (c == '}' || c == ']') {
            if (depth > 0) --depth;
        }
    }
    return false;
}

std::string nested_too_deeply(std::string_view what) {
    return std::string(what) + " nested too deeply (more than " + std::to_string(kMaxJsonDepth) + " levels)";
}

}  // namespace pgadvisor::sql
