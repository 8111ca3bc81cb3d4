#include "ingest/explain.hpp"
#include "sql/nesting.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cstring>
#include <limits>
#include <map>
#include <optional>

namespace pgadvisor::ingest {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::optional<double> to_double(std::string_view s) {
    s = trim(s);
    // Localised psql ("0,305") writes a decimal comma.
    std::string tmp(s);
    std::replace(tmp.begin(), tmp.end(), ',', '.');
    double v = 0;
    auto [p, ec] = std::from_chars(tmp.data(), tmp.data() + tmp.size(), v);
    if (ec != std::errc() || p == tmp.data()) return std::nullopt;
    return v;
}

// A count or a worker number from a plan's number, saturated to the type: a plan
// saying "read=1e300" or "Workers Planned: nan" must not be an out-of-range cast (UB).
template <class Int>
Int to_count(double v) {
    if (v != v) return 0;  // nan
    constexpr double lo = static_cast<double>(std::numeric_limits<Int>::min());
    constexpr double hi = static_cast<double>(std::numeric_limits<Int>::max());
    if (v <= lo) return std::numeric_limits<Int>::min();
    if (v >= hi) return std::numeric_limits<Int>::max();
    return static_cast<Int>(v);
}

// ---------------------------------------------------------------- cleaning
// Undo what psql, pgAdmin and DBeaver wrap around a plan, line by line.
std::vector<std::string> clean_lines(std::string_view doc) {
    std::vector<std::string> raw;
    std::size_t pos = 0;
    while (pos <= doc.size()) {
        std::size_t nl = doc.find('\n', pos);
        std::string_view line = doc.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        raw.emplace_back(line);
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    // Hard-wrapped text: many lines exactly as long as the longest one, but
    // not all of them (DBeaver pads every line to one width, which is no wrap).
    std::size_t maxlen = 0, at_max = 0, nonempty = 0;
    // Only lines with words count: frame and rule lines are not wrapped text.
    auto has_word = [](const std::string& l) {
        for (unsigned char c : l)
            if (std::isalnum(c)) return true;
        return false;
    };
    for (const auto& l : raw)
        if (has_word(l)) maxlen = std::max(maxlen, l.size());
    for (const auto& l : raw) {
        if (!trim(l).empty()) ++nonempty;
        if (l.size() == maxlen && has_word(l)) ++at_max;
    }
    // Framed output pads every line to the frame width: that is no wrap either.
    bool framed = false;
    for (const auto& l : raw) {
        std::string_view t = trim(l);
        framed |= starts_with(t, "|") || starts_with(t, "\u2551") || starts_with(t, "\u2502");
    }
    bool wrapped = !framed && maxlen >= 60 && at_max >= 3 && at_max * 10 < nonempty * 8;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        std::string l = raw[i];
        if (wrapped) {
            while (l.size() % maxlen == 0 && !l.empty() && i + 1 < raw.size() && has_word(raw[i])) {
                l += raw[++i];
                if (raw[i].size() != maxlen) break;
            }
        }
        std::string_view v = l;
        // pgAdmin copies each line in double quotes.
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        // psql frames: "| ... |", "║ ... ║", "│ ... │".
        for (std::string_view frame : {"|", "\u2551", "\u2502"}) {
            std::string_view t = trim(v);
            if (starts_with(t, frame)) {
                t.remove_prefix(frame.size());
                if (t.size() >= frame.size() && t.substr(t.size() - frame.size()) == frame)
                    t.remove_suffix(frame.size());
                v = t;
            }
        }
        // DBeaver ends lines with a bare "|"; psql marks continuations with "+".
        std::string_view t = v;
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
        if (!t.empty() && (t.back() == '+' || t.back() == '|') && t.size() >= 2 &&
            (t[t.size() - 2] == ' ' || t.size() > 40))
            t.remove_suffix(1);
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
        out.emplace_back(t);
    }
    return out;
}

// ---------------------------------------------------------------- text
bool is_node_line(std::string_view s, std::size_t& indent, std::string_view& body) {
    std::size_t i = s.find_first_not_of(' ');
    if (i == std::string_view::npos) return false;
    std::string_view t = s.substr(i);
    bool arrow = starts_with(t, "->");
    if (arrow) {
        t.remove_prefix(2);
        t = trim(t);
    }
    // A node line carries "(cost=" or "(actual" or "(never executed)".
    bool has = t.find("(cost=") != std::string_view::npos || t.find("(actual") != std::string_view::npos ||
               t.find("(never executed)") != std::string_view::npos;
    if (!has && !arrow) return false;
    if (t.empty() || !(t[0] >= 'A' && t[0] <= 'Z')) return false;
    indent = i;
    body = t;
    return true;
}

std::optional<double> field_after(std::string_view s, std::string_view key) {
    std::size_t p = s.find(key);
    if (p == std::string_view::npos) return std::nullopt;
    return to_double(s.substr(p + key.size(), 32).substr(0, s.substr(p + key.size()).find_first_of(" )")));
}

// "1.25..30.50 rows=..." -> first = 1.25, last = 30.50 (cost=, time=); unchanged when there is no "..".
void read_range(std::string_view text, std::optional<double>& first, std::optional<double>& last) {
    const std::size_t dots = text.find("..");
    if (dots == std::string_view::npos) return;
    first = to_double(text.substr(0, dots));
    last = to_double(text.substr(dots + 2, text.find(' ') - dots - 2));
}

void fill_node_header(PlanNode& n, std::string_view body) {
    std::size_t paren = body.find("  (");
    if (paren == std::string_view::npos) paren = body.find(" (");
    std::string_view name = trim(body.substr(0, paren));
    std::string_view rest = paren == std::string_view::npos ? std::string_view{} : body.substr(paren);
    if (std::size_t c = rest.find("(cost="); c != std::string_view::npos) {
        read_range(rest.substr(c + 6), n.startup_cost, n.total_cost);
        n.plan_rows = field_after(rest.substr(c), "rows=");
    }
    if (std::size_t a = rest.find("(actual"); a != std::string_view::npos) {
        std::string_view as = rest.substr(a);
        if (std::size_t t = as.find("time="); t != std::string_view::npos)
            read_range(as.substr(t + 5), n.actual_startup_ms, n.actual_total_ms);
        n.actual_rows = field_after(as, "rows=");
        n.actual_loops = field_after(as, "loops=");
    }
    if (rest.find("(never executed)") != std::string_view::npos) n.never_executed = true;
    if (starts_with(name, "Parallel ")) {
        n.parallel_aware = true;
        name.remove_prefix(9);
    }
    // "<Type> using <index> on <rel> <alias>", "<Type> on <rel> <alias>".
    std::string_view type = name, target;
    if (std::size_t u = name.find(" using "); u != std::string_view::npos) {
        type = name.substr(0, u);
        std::string_view after = name.substr(u + 7);
        std::size_t on = after.find(" on ");
        n.index_name = std::string(after.substr(0, on));
        if (on != std::string_view::npos) target = after.substr(on + 4);
    } else if (std::size_t o = name.find(" on "); o != std::string_view::npos) {
        type = name.substr(0, o);
        target = name.substr(o + 4);
    }
    if (!target.empty()) {
        std::size_t sp = target.find(' ');
        std::string_view rel = target.substr(0, sp);
        if (sp != std::string_view::npos) n.alias = std::string(trim(target.substr(sp + 1)));
        if (type == "Bitmap Index Scan") {
            n.index_name = std::string(rel);
        } else {
            if (std::size_t dot = rel.find('.'); dot != std::string_view::npos) {
                n.schema = std::string(rel.substr(0, dot));
                rel = rel.substr(dot + 1);
            }
            n.relation = std::string(rel);
            if (n.alias.empty()) n.alias = n.relation;
        }
    }
    // Text says "Hash Left Join", JSON says "Hash Join" + "Join Type": "Left"; keep the JSON form.
    for (std::string_view base : {"Nested Loop", "Hash", "Merge"}) {
        if (starts_with(type, base) && type.size() > base.size() + 1 && type[base.size()] == ' ') {
            std::string_view jt = type.substr(base.size() + 1);
            if (jt.size() > 5 && jt.substr(jt.size() - 5) == " Join") {
                n.join_type = std::string(jt.substr(0, jt.size() - 5));
                n.node_type = base == "Nested Loop" ? "Nested Loop" : std::string(base) + " Join";
                return;
            }
        }
    }
    if (type == "Nested Loop" || type == "Hash Join" || type == "Merge Join") n.join_type = "Inner";
    n.node_type = std::string(type);
}

void fill_buffers(PlanBuffers& b, std::string_view s) {
    b.present = true;
    // "shared hit=1 read=2 dirtied=3 written=4, local hit=..., temp read=... written=..."
    std::string_view scope;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t end = s.find_first_of(" ,", i);
        std::string_view w = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        i = end == std::string_view::npos ? s.size() : end + 1;
        if (w.empty()) continue;
        std::size_t eq = w.find('=');
        if (eq == std::string_view::npos) {
            scope = w;
            continue;
        }
        auto v = to_double(w.substr(eq + 1));
        long long x = v ? to_count<long long>(*v) : 0;
        std::string_view k = w.substr(0, eq);
        if (scope == "shared") {
            if (k == "hit") b.shared_hit = x;
            else if (k == "read") b.shared_read = x;
            else if (k == "dirtied") b.shared_dirtied = x;
            else if (k == "written") b.shared_written = x;
        } else if (scope == "local") {
            if (k == "hit") b.local_hit = x;
            else if (k == "read") b.local_read = x;
        } else if (scope == "temp") {
            if (k == "read") b.temp_read = x;
            else if (k == "written") b.temp_written = x;
        }
    }
}

void fill_property(PlanNode& n, std::string_view key, std::string_view value) {
    if (key == "Filter") n.filter = value;
    else if (key == "Index Cond") n.index_cond = value;
    else if (key == "Join Filter") n.join_filter = value;
    else if (key == "Hash Cond") n.hash_cond = value;
    else if (key == "Recheck Cond") n.recheck_cond = value;
    else if (key == "Merge Cond") n.merge_cond = value;
    else if (key == "Sort Key") n.sort_key = value;
    else if (key == "Rows Removed by Filter") n.rows_removed_by_filter = to_double(value);
    else if (key == "Rows Removed by Join Filter") n.rows_removed_by_join_filter = to_double(value);
    else if (key == "Rows Removed by Index Recheck") n.rows_removed_by_index_recheck = to_double(value);
    else if (key == "Workers Planned") n.workers_planned = to_count<int>(to_double(value).value_or(0));
    else if (key == "Workers Launched") n.workers_launched = to_count<int>(to_double(value).value_or(0));
    else if (key == "Buffers") fill_buffers(n.buffers, value);
    else if (key == "Sort Method") {
        // "quicksort  Memory: 25kB", "external merge  Disk: 1234kB"
        std::size_t two = value.find("  ");
        n.sort_method = std::string(trim(value.substr(0, two)));
        if (two != std::string_view::npos) {
            std::string_view sp = trim(value.substr(two));
            std::size_t colon = sp.find(':');
            if (colon != std::string_view::npos) {
                n.sort_space_type = std::string(sp.substr(0, colon));
                std::string_view num = trim(sp.substr(colon + 1));
                long long kb = 0;
                std::from_chars(num.data(), num.data() + num.size(), kb);
                n.sort_space_kb = kb;
            }
        }
    }
}

struct TextParser {
    ExplainResult& out;
    std::optional<Plan> cur;
    std::vector<std::pair<std::size_t, PlanNode*>> stack;  // indent of each open node
    std::string pending_relationship;
    std::string query_text;
    bool in_query_text = false;

    void finish() {
        if (cur) out.plans.push_back(std::move(*cur));
        cur.reset();
        stack.clear();
    }

    void line(std::string_view l) {
        std::size_t indent = 0;
        std::string_view body;
        std::string_view t = trim(l);
        if (starts_with(t, "Query Text:")) {
            finish();
            query_text = std::string(trim(t.substr(11)));
            in_query_text = true;
            return;
        }
        if (is_node_line(l, indent, body)) {
            in_query_text = false;
            if (!cur || stack.empty() || (indent <= stack.front().first && !starts_with(trim(l), "->"))) {
                finish();
                cur.emplace();
                cur->format = "text";
                cur->query_text = std::move(query_text);
                query_text.clear();
                fill_node_header(cur->root, body);
                stack.push_back({indent, &cur->root});
                return;
            }
            while (stack.size() > 1 && stack.back().first >= indent) stack.pop_back();
            PlanNode& parent = *stack.back().second;
            parent.children.emplace_back();
            PlanNode& n = parent.children.back();
            fill_node_header(n, body);
            n.parent_relationship = std::move(pending_relationship);
            pending_relationship.clear();
            stack.push_back({indent, &n});
            return;
        }
        if (in_query_text) {
            query_text += '\n';
            query_text += l;
            return;
        }
        if (!cur) return;
        if (starts_with(t, "Planning Time:") || starts_with(t, "Planning time:")) {
            cur->planning_ms = to_double(t.substr(14, t.find(" ms") - 14));
            return;
        }
        if (starts_with(t, "Execution Time:") || starts_with(t, "Execution time:") ||
            starts_with(t, "Total runtime:")) {
            std::size_t colon = t.find(':');
            cur->execution_ms = to_double(t.substr(colon + 1, t.find(" ms") - colon - 1));
            return;
        }
        if (starts_with(t, "SubPlan") || starts_with(t, "InitPlan") || starts_with(t, "CTE ")) {
            pending_relationship = std::string(t.substr(0, t.find(' ')));
            return;
        }
        std::size_t colon = t.find(": ");
        if (colon == std::string_view::npos || stack.empty()) return;
        std::size_t li = l.find_first_not_of(' ');
        while (stack.size() > 1 && stack.back().first >= li) stack.pop_back();
        fill_property(*stack.back().second, t.substr(0, colon), trim(t.substr(colon + 2)));
    }
};

// ---------------------------------------------------------------- JSON
std::optional<double> jnum(const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    if (it == o.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}
std::string jstr(const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    if (it == o.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array()) {  // "Sort Key": [...]
        std::string s;
        for (const auto& e : *it)
            if (e.is_string()) s += (s.empty() ? "" : ", ") + e.get<std::string>();
        return s;
    }
    return {};
}

void node_from_json(PlanNode& n, const nlohmann::json& o) {
    n.node_type = jstr(o, "Node Type");
    n.parent_relationship = jstr(o, "Parent Relationship");
    n.join_type = jstr(o, "Join Type");
    n.relation = jstr(o, "Relation Name");
    n.schema = jstr(o, "Schema");
    n.alias = jstr(o, "Alias");
    n.index_name = jstr(o, "Index Name");
    n.filter = jstr(o, "Filter");
    n.index_cond = jstr(o, "Index Cond");
    n.join_filter = jstr(o, "Join Filter");
    n.hash_cond = jstr(o, "Hash Cond");
    n.recheck_cond = jstr(o, "Recheck Cond");
    n.merge_cond = jstr(o, "Merge Cond");
    n.startup_cost = jnum(o, "Startup Cost");
    n.total_cost = jnum(o, "Total Cost");
    n.plan_rows = jnum(o, "Plan Rows");
    n.actual_rows = jnum(o, "Actual Rows");
    n.actual_loops = jnum(o, "Actual Loops");
    n.actual_startup_ms = jnum(o, "Actual Startup Time");
    n.actual_total_ms = jnum(o, "Actual Total Time");
    if (n.actual_loops && *n.actual_loops == 0) n.never_executed = true;
    n.rows_removed_by_filter = jnum(o, "Rows Removed by Filter");
    n.rows_removed_by_join_filter = jnum(o, "Rows Removed by Join Filter");
    n.rows_removed_by_index_recheck = jnum(o, "Rows Removed by Index Recheck");
    if (auto v = jnum(o, "Workers Planned")) n.workers_planned = to_count<int>(*v);
    if (auto v = jnum(o, "Workers Launched")) n.workers_launched = to_count<int>(*v);
    if (auto it = o.find("Parallel Aware"); it != o.end() && it->is_boolean()) n.parallel_aware = it->get<bool>();
    n.sort_key = jstr(o, "Sort Key");
    n.sort_method = jstr(o, "Sort Method");
    if (auto v = jnum(o, "Sort Space Used")) n.sort_space_kb = to_count<long long>(*v);
    n.sort_space_type = jstr(o, "Sort Space Type");
    if (o.contains("Shared Hit Blocks")) {
        auto b = [&](const char* k) { return to_count<long long>(jnum(o, k).value_or(0)); };
        n.buffers.present = true;
        n.buffers.shared_hit = b("Shared Hit Blocks");
        n.buffers.shared_read = b("Shared Read Blocks");
        n.buffers.shared_dirtied = b("Shared Dirtied Blocks");
        n.buffers.shared_written = b("Shared Written Blocks");
        n.buffers.local_hit = b("Local Hit Blocks");
        n.buffers.local_read = b("Local Read Blocks");
        n.buffers.temp_read = b("Temp Read Blocks");
        n.buffers.temp_written = b("Temp Written Blocks");
    }
    if (auto it = o.find("Plans"); it != o.end() && it->is_array())
        for (const auto& c : *it)
            if (c.is_object()) node_from_json(n.children.emplace_back(), c);
}

void plans_from_json(const nlohmann::json& j, ExplainResult& out) {
    if (j.is_array()) {
        for (const auto& e : j) plans_from_json(e, out);
        return;
    }
    if (!j.is_object()) return;
    auto it = j.find("Plan");
    if (it == j.end() || !it->is_object()) {
        out.errors.push_back("JSON object without a \"Plan\" member");
        return;
    }
    Plan p;
    p.format = "json";
    p.query_text = jstr(j, "Query Text");
    p.planning_ms = jnum(j, "Planning Time");
    p.execution_ms = jnum(j, "Execution Time");
    node_from_json(p.root, *it);
    out.plans.push_back(std::move(p));
}

nlohmann::json node_to_json(const PlanNode& n) {
    nlohmann::json o = nlohmann::json::object();
    auto text = [&](const char* k, const std::string& v) {
        if (!v.empty()) o[k] = v;
    };
    auto number = [&](const char* k, const auto& v) {
        if (v) o[k] = *v;
    };
    text("Node Type", n.node_type);
    text("Parent Relationship", n.parent_relationship);
    text("Join Type", n.join_type);
    text("Relation Name", n.relation);
    text("Schema", n.schema);
    text("Alias", n.alias);
    text("Index Name", n.index_name);
    text("Filter", n.filter);
    text("Index Cond", n.index_cond);
    text("Join Filter", n.join_filter);
    text("Hash Cond", n.hash_cond);
    text("Recheck Cond", n.recheck_cond);
    text("Merge Cond", n.merge_cond);
    number("Startup Cost", n.startup_cost);
    number("Total Cost", n.total_cost);
    number("Plan Rows", n.plan_rows);
    number("Actual Rows", n.actual_rows);
    // A node never executed has 0 loops in JSON, which is how the reader knows it.
    if (n.never_executed && !n.actual_loops) o["Actual Loops"] = 0;
    number("Actual Loops", n.actual_loops);
    number("Actual Startup Time", n.actual_startup_ms);
    number("Actual Total Time", n.actual_total_ms);
    number("Rows Removed by Filter", n.rows_removed_by_filter);
    number("Rows Removed by Join Filter", n.rows_removed_by_join_filter);
    number("Rows Removed by Index Recheck", n.rows_removed_by_index_recheck);
    number("Workers Planned", n.workers_planned);
    number("Workers Launched", n.workers_launched);
    if (n.parallel_aware) o["Parallel Aware"] = true;
    text("Sort Key", n.sort_key);
    text("Sort Method", n.sort_method);
    number("Sort Space Used", n.sort_space_kb);
    text("Sort Space Type", n.sort_space_type);
    if (n.buffers.present) {
        o["Shared Hit Blocks"] = n.buffers.shared_hit;
        o["Shared Read Blocks"] = n.buffers.shared_read;
        o["Shared Dirtied Blocks"] = n.buffers.shared_dirtied;
        o["Shared Written Blocks"] = n.buffers.shared_written;
        o["Local Hit Blocks"] = n.buffers.local_hit;
        o["Local Read Blocks"] = n.buffers.local_read;
        o["Temp Read Blocks"] = n.buffers.temp_read;
        o["Temp Written Blocks"] = n.buffers.temp_written;
    }
    if (!n.children.empty()) {
        nlohmann::json plans = nlohmann::json::array();
        for (const auto& c : n.children) plans.push_back(node_to_json(c));
        o["Plans"] = std::move(plans);
    }
    return o;
}

}  // namespace

std::string explain_json(const Plan& plan) {
    nlohmann::json j = {{"Plan", node_to_json(plan.root)}};
    if (!plan.query_text.empty()) j["Query Text"] = plan.query_text;
    if (plan.planning_ms) j["Planning Time"] = *plan.planning_ms;
    if (plan.execution_ms) j["Execution Time"] = *plan.execution_ms;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ExplainResult parse_explain_json(std::string_view json) {
    ExplainResult out;
    // Several top-level values may follow each other (several plans in one file).
    std::size_t pos = json.find_first_of("[{");
    while (pos != std::string_view::npos && pos < json.size()) {
        // Find the matching end of this value, honouring strings.
        int depth = 0;
        bool in_str = false, esc = false;
        std::size_t end = std::string_view::npos;
        for (std::size_t i = pos; i < json.size(); ++i) {
            char c = json[i];
            if (in_str) {
                if (esc) esc = false;
                else if (c == '\\') esc = true;
                else if (c == '"') in_str = false;
                continue;
            }
            if (c == '"') in_str = true;
            else if (c == '[' || c == '{') ++depth;
            else if (c == ']' || c == '}') {
                if (--depth == 0) {
                    end = i + 1;
                    break;
                }
            }
        }
        if (end == std::string_view::npos) {
            out.errors.push_back("broken JSON: the plan starting at byte " + std::to_string(pos) + " never ends");
            break;
        }
        const std::string_view plan = json.substr(pos, end - pos);
        if (sql::json_nests_deeper_than(plan)) {
            // plans_from_json follows the tree by recursion.
            out.errors.push_back(sql::nested_too_deeply("the plan starting at byte " + std::to_string(pos)));
            pos = json.find_first_of("[{", end);
            continue;
        }
        auto j = nlohmann::json::parse(plan, nullptr, false);
        if (j.is_discarded()) out.errors.push_back("broken JSON in the plan starting at byte " + std::to_string(pos));
        else plans_from_json(j, out);
        pos = json.find_first_of("[{", end);
    }
    return out;
}

ExplainResult parse_explain_text(std::string_view text) {
    ExplainResult out;
    TextParser p{out, {}, {}, {}, {}, false};
    auto lines = clean_lines(text);
    for (const auto& l : lines) p.line(l);
    p.finish();
    return out;
}

ExplainResult parse_explain(std::string_view doc) {
    auto lines = clean_lines(doc);
    // JSON when the first meaningful character after the cleaning is [ or {.
    std::string joined;
    for (const auto& l : lines) {
        std::string_view t = trim(l);
        if (t == "QUERY PLAN" || t.empty() || t.find_first_not_of("-+=\u2550") == std::string_view::npos) continue;
        if (starts_with(t, "(") && t.find("row") != std::string_view::npos && t.back() == ')') continue;  // "(1 row)"
        joined += l;
        joined += '\n';
    }
    std::size_t first = joined.find_first_not_of(" \t\n");
    // JSON is '{' or '[' + '{'; a psql prompt like "[1234](5678)db=#" is not.
    if (first != std::string::npos) {
        std::size_t second = joined.find_first_not_of(" \t\n", first + 1);
        if (joined[first] == '{' || (joined[first] == '[' && second != std::string::npos && joined[second] == '{'))
            return parse_explain_json(joined);
    }
    ExplainResult out;
    TextParser p{out, {}, {}, {}, {}, false};
    for (const auto& l : lines) p.line(l);
    p.finish();
    return out;
}

}  // namespace pgadvisor::ingest
