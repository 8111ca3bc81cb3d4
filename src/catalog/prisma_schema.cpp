#include "catalog/prisma_schema.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include "ingest/input.hpp"

namespace pgadvisor::catalog {
namespace {

// A line without its // comment (a "//" inside a string literal stays).
std::string_view without_comment(std::string_view line) {
    bool in_string = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && in_string) ++i;
        else if (line[i] == '"') in_string = !in_string;
        else if (!in_string && line.substr(i, 2) == "//") return line.substr(0, i);
    }
    return line;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The leading identifier of s ("authorId Int @map(...)" -> "authorId").
std::string_view leading_name(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && is_name_char(s[n])) ++n;
    return s.substr(0, n);
}

// The string argument of attribute (e.g. "@map" or "@@map") in line, Prisma's escapes
// undone: @map("created_at") and @map(name: "created_at") alike. None when absent.
std::optional<std::string> map_argument(std::string_view line, std::string_view attribute) {
    for (std::size_t at = line.find(attribute); at != std::string_view::npos; at = line.find(attribute, at + 1)) {
        const std::size_t after = at + attribute.size();
        const bool whole = (at == 0 || line[at - 1] != '@') && after < line.size() && line[after] == '(';
        if (!whole) continue;
        std::size_t quote = line.find('"', after);
        if (quote == std::string_view::npos) return std::nullopt;
        std::string value;
        for (std::size_t i = quote + 1; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size()) ++i;
            value += line[i];
        }
        return value;
    }
    return std::nullopt;
}

// A model's body line: a field ("name Type ..."), an attribute ("@@map(...)"), or nothing.
void read_model_line(std::string_view line, PrismaModel& model) {
    if (line.empty()) return;
    if (line.substr(0, 2) == "@@") {
        if (auto table = map_argument(line, "@@map")) model.table = *table;
        return;
    }
    const std::string_view name = leading_name(line);
    if (name.empty()) return;
    PrismaField field{std::string(name), std::string(name)};
    if (auto column = map_argument(line, "@map")) field.column = *column;
    model.fields.push_back(std::move(field));
}

}  // namespace

const PrismaField* PrismaModel::field_for_column(std::string_view column) const {
    for (const auto& f : fields)
        if (f.column == column) return &f;
    return nullptr;
}

const PrismaModel* PrismaSchema::model_for_table(std::string_view table) const {
    for (const auto& m : models)
        if (m.table == table) return &m;
    return nullptr;
}

PrismaSchema parse_prisma_schema(std::string_view text, std::string file) {
    PrismaSchema schema;
    schema.file = std::move(file);
    std::optional<PrismaModel> model;  // the model whose block is open
    std::istringstream in{std::string(text)};
    for (std::string raw; std::getline(in, raw);) {
        const std::string_view line = trimmed(without_comment(raw));
        if (!model) {
            if (line.substr(0, 6) != "model " || line.back() != '{') continue;
            const std::string_view name = leading_name(trimmed(line.substr(6)));
            model = PrismaModel{std::string(name), std::string(name), {}};
        } else if (line == "}") {
            schema.models.push_back(std::move(*model));
            model.reset();
        } else {
            read_model_line(line, *model);
        }
    }
    return schema;
}

PrismaSchema read_prisma_schema(const std::string& path) {
    auto whole = ingest::read_whole_file(path);  // binary input refused, the document cap
    if (!whole.text) {
        PrismaSchema schema;
        schema.file = path;
        schema.errors.push_back({path, 0, "cannot read the Prisma schema: " + whole.error});
        return schema;
    }
    return parse_prisma_schema(*whole.text, path);
}

}  // namespace pgadvisor::catalog
