// The terminal report: summary, recommendations by impact, the findings they fix
// (each with the file that fixes it), findings without a recommendation, input problems, notes, and for `check` the verdict.
// ANSI colour only when asked (a TTY), so piped output stays plain text.

#include <fmt/core.h>

#include "emit/report_common.hpp"
#include "emit/report_orm_fix.hpp"
#include "sql/text.hpp"

namespace pgadvisor::emit::report_detail {
namespace {

class Painter {
public:
    explicit Painter(bool color) : color_(color) {}
    std::string bold(const std::string& s) const { return wrap("1", s); }
    std::string dim(const std::string& s) const { return wrap("2", s); }
    std::string severity(rules::Severity sev, const std::string& s) const {
        switch (sev) {
            case rules::Severity::Error: return wrap("1;31", s);
            case rules::Severity::Warning: return wrap("33", s);
            case rules::Severity::Info: return wrap("36", s);
        }
        return s;
    }
    std::string impact(Impact i, const std::string& s) const {
        switch (i) {
            case Impact::High: return wrap("1;31", s);
            case Impact::Medium: return wrap("1;33", s);
            case Impact::Low: return wrap("1;36", s);
        }
        return s;
    }

private:
    std::string wrap(const char* code, const std::string& s) const {
        return color_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
    }
    bool color_;
};

// Multi-line SQL indented under its heading.
void append_indented(std::string& out, const std::string& text, const char* indent) {
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out += indent;
        out.append(text, start, end - start);
        out += '\n';
        start = end + 1;
    }
}

void append_summary(std::string& out, const ReportInput& input, const Painter& p) {
    const Totals t = totals_of(input);
    out += p.bold(fmt::format("pgadvisor {}", input.command.empty() ? "report" : input.command));
    out += fmt::format(": {} input(s) read, {}, {}, {}, {} of database time seen over {}\n", t.inputs,
                       counted(t.statements, "statement"), counted(static_cast<long long>(t.shapes), "shape"),
                       sessions_text(t), format_ms(t.db_ms), format_ms(t.span_ms));
    if (!input.catalog_source.empty())
        out += fmt::format("schema: {} ({})\n", input.catalog_source, input.catalog_live ? "live" : "offline");
    if (const std::string orm = orm_sentence(input); !orm.empty()) out += orm + "\n";
    out += fmt::format("{} recommendation(s), {} finding(s)\n", recommendations_of(input).size(),
                       findings_of(input).size());
    if (const std::string set = index_set_sentence(input); !set.empty()) out += set + "\n";
}

void append_evidence(std::string& out, const std::vector<rules::StatementEvidence>& statements) {
    for (const auto& st : statements) {
        out += fmt::format("    - {} call{}, mean {}, total {}", st.calls, st.calls == 1 ? "" : "s",
                           format_ms(st.mean_ms), format_ms(st.total_ms));
        if (!st.locations.empty()) out += " at " + location_text(st.locations.front());
        if (st.loop_parent) out += " (the loop's parent query)";
        out += "\n";
        append_indented(out, st.normalized, "        ");
    }
}

// The fix in the ORM's own calls, under the SQL it stands for.
void append_orm_fix(std::string& out, const std::optional<advise::OrmFix>& fix) {
    if (!fix) return;
    out += fmt::format("    {}:\n", orm_fix_heading(*fix));
    append_indented(out, fix->code, "      ");
    out += fmt::format("      ({})\n", fix->note);
}

void append_recommendation(std::string& out, const ReportInput& input, std::size_t index, const Painter& p) {
    const auto& rec = recommendations_of(input)[index];
    const auto& g = rec.gain;
    out += fmt::format("\n  {} {}\n", p.bold(fmt::format("[{}]", to_string(rec.kind))), p.bold(rec.title));
    const std::string sql = recommendation_sql(rec);
    if (!sql.empty()) append_indented(out, sql, "    ");
    if (!rec.duplicates_check_sql.empty()) {
        out += "    check for duplicates first:\n";
        append_indented(out, rec.duplicates_check_sql, "      ");
    }
    if (rec.kind == advise::RecommendationKind::CreateUniqueIndex && !rec.review_sql.empty()) {
        out += "    then, in the application code (its review file):\n";
        append_indented(out, rec.review_sql, "      ");
    }
    if (!rec.review_note.empty()) out += "    for the caller: " + rec.review_note + "\n";
    append_orm_fix(out, orm_fix_of(input, rec));
    if (const std::string cost = advise::cost_only_gain(g); !cost.empty())
        out += fmt::format("    gain: {}, confidence {}\n", cost, rules::to_string(g.confidence));
    else
        out += fmt::format("    gain: {}/call, {}/hour, {} of db time, confidence {}\n", format_ms(g.ms_per_call),
                           format_ms(g.ms_per_hour), format_share(g.share_of_db_time), rules::to_string(g.confidence));
    out += fmt::format("    method: {}", advise::to_string(g.method));
    if (!g.method_detail.empty()) out += " — " + g.method_detail;
    out += "\n";
    if (g.cost_before > 0 || g.cost_after > 0)
        out += fmt::format("    planner cost: {:.2f} -> {:.2f}\n", g.cost_before, g.cost_after);
    if (!rec.write_cost.source.empty() || !rec.write_cost.note.empty()) {
        out += fmt::format("    write cost: {:.0f} writes/hour ({})", rec.write_cost.writes_per_hour,
                           rec.write_cost.source);
        if (!rec.write_cost.note.empty()) out += "; " + rec.write_cost.note;
        out += "\n";
    }
    if (!rec.rationale.empty()) out += "    why: " + rec.rationale + "\n";
    if (!rec.review_sql.empty()) out += "    rewrite check: " + advise::describe(rec.rewrite_check) + "\n";
    if (!rec.statements.empty()) {
        out += "    evidence:\n";
        append_evidence(out, rec.statements);
    }
    for (const WrittenFile* f : files_for(input, index))
        out += fmt::format("    wrote {} ({})\n", f->path, to_string(f->role));
}

void append_recommendations(std::string& out, const ReportInput& input, const Painter& p) {
    const auto order = recommendations_in_order(input);
    if (order.empty()) return;
    const auto& recs = recommendations_of(input);
    out += fmt::format("\n{}\n", p.bold("Recommendations"));
    bool first = true;
    Impact current = Impact::High;
    for (std::size_t index : order) {
        const Impact impact = impact_of(recs[index].gain);
        if (first || impact != current)
            out += fmt::format("\n{}\n", p.impact(impact, fmt::format("{} impact", impact_title(impact))));
        first = false;
        current = impact;
        append_recommendation(out, input, index, p);
    }
}

void append_finding(std::string& out, const ReportInput& input, const rules::Finding& f, const Painter& p) {
    out += fmt::format("\n  {} {} {}\n", p.severity(f.severity, fmt::format("{}:", rules::to_string(f.severity))),
                       p.bold(f.title), p.dim("[" + f.rule_id + "]"));
    for (const auto& loc : f.locations)
        if (!loc.file.empty()) out += "    at " + location_text(loc) + "\n";
    if (!f.explanation.empty()) append_indented(out, f.explanation, "    ");  // every line under the heading
    if (!f.fix.empty()) out += "    fix: " + f.fix + "\n";
    if (!f.fix_sql.empty()) append_indented(out, f.fix_sql, "      ");
    append_orm_fix(out, orm_fix_of(input, f));
    if (!f.statements.empty()) {
        out += "    evidence:\n";
        append_evidence(out, f.statements);
    }
}

// One line each: the recommendations above already carry their evidence and fix.
void append_fixed_findings(std::string& out, const ReportInput& input, const Painter& p) {
    const auto order = fixed_findings(input);
    if (order.empty()) return;
    const auto fixes = fixed_by(input);
    out += fmt::format("\n{}\n", p.bold("Findings a recommendation fixes"));
    for (std::size_t i : order) {
        const rules::Finding& f = findings_of(input)[i];
        out += fmt::format("  {} {} {}\n    fixed by {}\n",
                           p.severity(f.severity, fmt::format("{}:", rules::to_string(f.severity))), f.title,
                           p.dim("[" + f.rule_id + "]"), sql::join(fixes[i]));
    }
}

void append_findings(std::string& out, const ReportInput& input, const Painter& p) {
    const auto order = unrecommended_findings(input);
    if (order.empty()) return;
    out += fmt::format("\n{}\n", p.bold("Findings without a recommendation"));
    for (std::size_t i : order) append_finding(out, input, findings_of(input)[i], p);
}

void append_problems_and_notes(std::string& out, const ReportInput& input, const Painter& p) {
    const auto problems = input_problems(input);
    if (!problems.empty()) {
        out += fmt::format("\n{} (skipped, the rest was analysed)\n", p.bold("Input problems"));
        for (const auto& pr : problems) {
            out += fmt::format("  {}: {}\n", pr.kind, pr.count);
            for (const auto& e : pr.examples) out += "    " + e + "\n";
        }
    }
    if (!input.notes.empty()) {
        out += fmt::format("\n{}\n", p.bold("Notes"));
        for (const auto& n : input.notes) out += "  - " + n + "\n";
    }
}

void append_check(std::string& out, const ReportInput& input, const Painter& p) {
    if (input.command != "check") return;
    const std::string threshold = input.fail_on ? rules::to_string(*input.fail_on) : "none";
    const std::string verdict = input.failed ? p.severity(rules::Severity::Error, "FAILED") : p.bold("passed");
    out += fmt::format("\ncheck {}: --fail-on {}; {} finding(s) suppressed by the baseline\n", verdict, threshold,
                       input.baseline_suppressed);
}

}  // namespace

std::string render_text(const ReportInput& input, const RenderOptions& options) {
    const Painter p(options.color);
    std::string out;
    append_summary(out, input, p);
    append_recommendations(out, input, p);
    append_fixed_findings(out, input, p);
    append_findings(out, input, p);
    append_problems_and_notes(out, input, p);
    append_check(out, input, p);
    return out;
}

}  // namespace pgadvisor::emit::report_detail
