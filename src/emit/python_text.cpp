#include "emit/python_text.hpp"

#include <cctype>
#include <sstream>

#include <fmt/format.h>

namespace pgadvisor::emit {
namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::string python_string(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
                else out += static_cast<char>(c);  // UTF-8 bytes stay: a str literal in a UTF-8 file
        }
    }
    return out + "\"";
}

std::string python_text(std::string_view text, std::string_view indent) {
    std::string out = "(\n";
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end + 1;
        out += std::string(indent) + "    " + python_string(text.substr(start, end - start)) + "\n";
        start = end;
    }
    return out + std::string(indent) + ")";
}

std::string python_comment(std::string_view sql_comment) {
    std::string out;
    std::istringstream in{std::string(sql_comment)};
    for (std::string line; std::getline(in, line);) {
        for (char& c : line)
            if (c == '\r') c = ' ';  // a lone \r would end the comment line for some readers
        // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) of a prefix inserted into a string.
        if (line.rfind("--", 0) == 0) out.append("#").append(line, 2);
        else if (!line.empty() && line[0] != '#') out.append("# ").append(line);
        else out.append(line);
        out += '\n';
    }
    return out;
}

std::string python_docstring_line(std::string_view text) {
    std::string out;
    for (char c : text) out += (c == '"' || c == '\\' || c == '\n' || c == '\r') ? ' ' : c;
    return out;
}

std::string sqlalchemy_text_escaped(std::string_view sql) {
    std::string out;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const bool bind = sql[i] == ':' &&
                          (i == 0 || (sql[i - 1] != ':' && !is_word(sql[i - 1]) && sql[i - 1] != '\\')) &&
                          i + 1 < sql.size() && is_word(sql[i + 1]);
        if (bind) out += '\\';
        out += sql[i];
    }
    return out;
}

}  // namespace pgadvisor::emit
