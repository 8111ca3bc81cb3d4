#include "cli/shape_command.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>

#include "cli/print_safe.hpp"
#include "cli/app.hpp"
#include "ingest/input.hpp"
#include "sql/parser.hpp"
#include "sql/shape.hpp"
#include "sql/shape_json.hpp"
#include "sql/text.hpp"

namespace pgadvisor::cli {
namespace {

// Through ingest's reader: gzip/zstd, binary input and the document cap (ingest/limits.hpp).
std::optional<std::string> read_input(const std::string& path, std::string& why) {
    auto whole = ingest::read_whole_file(path);
    why = whole.error;
    return std::move(whole.text);
}

std::string column_text(const sql::QueryShape& s, const sql::ColumnRef& c) {
    std::string owner = c.table >= 0 ? (s.tables[static_cast<std::size_t>(c.table)].alias.empty()
                                            ? s.tables[static_cast<std::size_t>(c.table)].qualified_name()
                                            : s.tables[static_cast<std::size_t>(c.table)].alias)
                                     : c.qualifier;
    return owner.empty() ? c.column : owner + "." + c.column;
}

void print_shape(const std::string& file, int line, const sql::QueryShape& s) {
    print_safe("{}:{}: {} ({})\n", file, line, sql::to_string(s.kind), s.node_type);
    print_safe("  fingerprint  {}\n", s.fingerprint_hex);
    print_safe("  normalized   {}\n", sql::one_line(s.normalized));
    for (const auto& t : s.tables)
        print_safe("  table        {}{}{}\n", t.qualified_name(), t.alias.empty() ? "" : " AS " + t.alias,
                   t.written ? " (written)" : "");
    for (const auto& c : s.cte_names) print_safe("  cte          {}{}\n", c, s.recursive_cte ? " (recursive)" : "");
    for (const auto& p : s.predicates) {
        std::string rhs = sql::to_string(p.operand);
        if (p.operand == sql::OperandKind::Parameter) rhs = fmt::format("${}", p.param_number);
        print_safe("  predicate    {}{}{} {} {}  [{}]{}\n", p.function.empty() ? "" : p.function + "(",
                   column_text(s, p.column), p.function.empty() ? "" : ")", p.op, rhs, sql::to_string(p.cls),
                   p.in_join ? " (join)" : "");
    }
    for (const auto& j : s.joins)
        print_safe("  join         {} = {}\n", column_text(s, j.left), column_text(s, j.right));
    for (const auto& o : s.order_by)
        print_safe("  order by     {} {} nulls {}\n", o.column.column.empty() ? o.expression : column_text(s, o.column),
                   sql::to_string(o.direction), sql::to_string(o.nulls));
    for (const auto& g : s.group_by) print_safe("  group by     {}\n", column_text(s, g));
    if (s.has_limit || s.has_offset)
        print_safe("  limit        {}{}\n", s.has_limit ? "LIMIT" : "", s.has_offset ? " OFFSET" : "");
    if (!s.set_columns.empty()) {
        std::string cols;
        for (const auto& c : s.set_columns) cols += (cols.empty() ? "" : ", ") + c;
        print_safe("  set          {}\n", cols);
    }
    if (s.insert) {
        const auto& i = *s.insert;
        std::string cols;
        for (const auto& c : i.columns) cols += (cols.empty() ? "" : ", ") + c;
        print_safe("  insert       ({}) rows={}{}\n", cols, i.rows, i.from_select ? " from SELECT" : "");
        if (i.on_conflict != sql::ConflictAction::None) {
            std::string target;
            for (const auto& c : i.conflict_columns) target += (target.empty() ? "" : ", ") + c;
            if (!i.conflict_constraint.empty()) target = "ON CONSTRAINT " + i.conflict_constraint;
            print_safe("  on conflict  ({}) {}\n", target, sql::to_string(i.on_conflict));
        }
    }
    int params = 0, constants = 0;
    for (const auto& l : s.literals) (l.kind == sql::LiteralKind::Parameter ? params : constants)++;
    print_safe("  values       {} constants, {} parameters\n", constants, params);
}

}  // namespace

int run_shape(const ShapeOptions& options) {
    nlohmann::json out = nlohmann::json::array();
    int shaped = 0, failed = 0, unreadable = 0;
    for (const auto& path : options.inputs) {
        std::string why;
        auto text = read_input(path, why);
        const std::string name = path == "-" ? "<stdin>" : path;
        if (!text) {
            fmt::print(stderr, "pgadvisor: {}: cannot read: {}\n", name, why);
            ++unreadable;
            continue;
        }
        // Lines are counted on from the previous statement: counting from the
        // start each time is quadratic on a large file.
        std::size_t counted_to = 0;
        int counted_line = 1;
        auto line_of = [&](std::size_t offset) {
            if (offset < counted_to) return sql::line_of_offset(*text, offset);
            counted_line += sql::line_of_offset(std::string_view(*text).substr(counted_to, offset - counted_to),
                                                offset - counted_to) -
                            1;
            counted_to = offset;
            return counted_line;
        };
        for (const auto& r : sql::shape_statements(*text)) {
            if (r.error) {
                ++failed;
                fmt::print(stderr, "{}:{}: error: {}\n", name, r.error->line, r.error->message);
                if (options.json) {
                    auto e = sql::to_json(*r.error);
                    e["file"] = name;
                    out.push_back(std::move(e));
                }
                continue;
            }
            ++shaped;
            const int line = line_of(r.shape->offset);
            if (options.json) {
                auto j = sql::to_json(*r.shape, options.show_literals);
                j["file"] = name;
                j["line"] = line;
                out.push_back(std::move(j));
            } else {
                print_shape(name, line, *r.shape);
            }
        }
    }
    // Log text may hold invalid UTF-8; replace it rather than throw.
    if (options.json) fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    if (failed || unreadable)
        fmt::print(stderr, "pgadvisor shape: {} statements shaped, {} could not be parsed, {} inputs unreadable\n",
                   shaped, failed, unreadable);
    sql::release_parser_memory_on_main_thread();
    return shaped == 0 && (failed || unreadable) ? kExitUsage : kExitOk;
}

}  // namespace pgadvisor::cli
